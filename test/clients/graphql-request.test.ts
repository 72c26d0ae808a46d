import { ClientError, GraphQLClient } from 'graphql-request';
import { ArticleDocument, FeedDocument, type FeedQuery, UpdatePostDocument } from '../generated/graphql';
import { ClientArchive, duplicatesOf, startClientArchive } from '../support/clients';

/**
 * graphql-request 7 with the TypedDocumentNode documents codegen made from test/api/operations:
 * variables and answers are typed end to end (a wrong field here fails `npm run typecheck`).
 */
describe('graphql-request', () => {
  let archive: ClientArchive;

  beforeAll(async () => {
    archive = await startClientArchive();
  });
  afterAll(() => archive?.stop());

  it.each(['POST', 'GET'] as const)('pages the whole feed with a typed request (%s), every post once', async (method) => {
    const client = new GraphQLClient(archive.url, { method });
    const slugs: string[] = [];
    let after: string | null | undefined = null;
    for (let page = 0; page < 50; page++) {
      const { posts }: FeedQuery = await client.request(FeedDocument, { first: 10, after });
      slugs.push(...posts.edges.map((e) => e.node.slug));
      expect(posts.totalCount).toBe(archive.slugs.length);
      if (!posts.pageInfo.hasNextPage) break;
      after = posts.pageInfo.endCursor;
    }
    expect(duplicatesOf(slugs)).toEqual([]);
    expect(slugs).toEqual(archive.slugs);
  });

  it('reads one post by slug, and its fresh title after an editor wrote it', async () => {
    const client = new GraphQLClient(archive.url);
    const slug = archive.slugs[1];
    const { post } = await client.request(ArticleDocument, { slug });
    expect(post).toMatchObject({ slug, url: `/posts/${slug}`, status: 'PUBLISHED' });
    expect(post!.author.name).toEqual(expect.any(String));

    const editor = new GraphQLClient(archive.url, { headers: { authorization: `Bearer ${archive.editorKey}` } });
    const { updatePost } = await editor.request(UpdatePostDocument, { id: post!.id, expectedVersion: 1, input: { title: 'Retitled through graphql-request' } });
    expect(updatePost.version).toBe(2);
    expect((await client.request(ArticleDocument, { slug })).post!.title).toBe('Retitled through graphql-request');
  });

  it('surfaces extensions.code of an error answer', async () => {
    const client = new GraphQLClient(archive.url);
    const refusal = await client.request(FeedDocument, { first: 500 }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ClientError);
    const { response } = refusal as ClientError;
    expect(response.status).toBe(200);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].message).toContain('100');

    const stranger = new GraphQLClient(archive.url, { headers: { authorization: 'Bearer nonsense' } });
    const unauthenticated = (await stranger.request(FeedDocument, { first: 1 }).catch((error: unknown) => error)) as ClientError;
    expect(unauthenticated).toBeInstanceOf(ClientError);
    expect(unauthenticated.response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
