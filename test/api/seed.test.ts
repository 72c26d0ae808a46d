import { ArticleDocument } from '../generated/graphql';
import { describeEachDatabaseIf } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';
import { SEED_FILE, sharedAvailable } from '../support/shared';

/** The article this project started from, as a reader and an editor see it after import. */
describeEachDatabaseIf(sharedAvailable(), 'the seed article', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    const summary = await server.importPaths([SEED_FILE]);
    expect(summary).toMatchObject({ imported: 1, failed: [] });
  });
  afterAll(() => server?.stop());

  it('comes out with its title, slug, date, tags, category, author and reading time', async () => {
    const { data, error } = await server.client.query(ArticleDocument, { slug: 'amazon-1兆円の可能性とは' }).toPromise();
    expect(error).toBeUndefined();
    const post = data!.post!;
    expect(post.title).toBe('Amazon 1兆円の可能性とは？');
    expect(post.publishedAt).toBe('2025-12-25T13:03:19.000Z');
    expect(post.tags.map((t) => t.name)).toEqual(['Google', 'Microsoft', 'NVIDIA', 'Amazon', 'Anthropic', 'LLM']);
    expect(post.categories.map((c) => c.name)).toEqual(['AI技術ガイド']);
    expect(post.author.name).toBe('ALLFORCES編集部');
    expect(post.readingTimeMinutes).toBe(20);
    expect(post.language).toBe('ja');
    expect(post.frontMatter).toMatchObject({ layout: 'post' });
  });

  it('has its generated-text artifacts repaired, each repair listed with its line', async () => {
    const { data } = await server.client.query(ArticleDocument, { slug: 'amazon-1兆円の可能性とは' }).toPromise();
    const post = data!.post!;
    expect(post.bodyMarkdown).not.toContain('---END---');
    expect(post.bodyHtml).not.toContain('END---');
    expect(post.bodyMarkdown.split('誰も思いつかなかったような革新的なソリューションを生み出すことができるんだ').length).toBe(2);
    const codes = new Set(post.contentIssues.map((i) => i.code));
    for (const code of ['END_MARKER', 'DUPLICATE_PARAGRAPH', 'REPEATED_SENTENCE', 'SPLIT_SENTENCE']) expect(codes).toContain(code);
    for (const issue of post.contentIssues) expect(issue.line).toBeGreaterThan(0);
  });
});
