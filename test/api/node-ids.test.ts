import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';

/*
 * Relay's object identification as clients use it: every `id` that looks global is a Node and
 * comes back through `node(id:)`; what a viewer may not see, and what is not an ID Kiji gives,
 * is `null` with no error (Relay and normalized caches refetch by `node` and expect exactly that).
 */

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions: Record<string, unknown> }[] };

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const NODE = `query ($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Post { slug }
    ... on Author { slug }
    ... on Tag { slug }
    ... on Category { slug }
    ... on PostRevision { version title }
    ... on WebhookEndpoint { url }
    ... on WebhookDelivery { webhookId eventType }
    ... on PreviewLink { createdBy }
    ... on Page { slug }
  }
}`;

describeEachDatabase('global IDs and node(id:)', (kind) => {
  let server: TestServer;
  let editorKey: string;
  let adminKey: string;
  let readerKey: string;

  beforeAll(async () => {
    // With the response cache, as in production: an anonymous answer must not be served to an editor, nor the reverse.
    server = await startTestServer(kind, { responseCache: 'memory' });
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    // A page too (a file in a `pages/` folder), which is a Node of its own.
    const site = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-node-ids-'));
    fs.mkdirSync(path.join(site, 'pages'));
    fs.writeFileSync(path.join(site, 'pages', 'about.md'), '---\ntitle: About\n---\nWho we are.\n');
    expect(await server.importPaths([site])).toMatchObject({ failed: [], pages: 1 });
    editorKey = (await server.services.keys.create('editor', 'node ids editor')).secret;
    adminKey = (await server.services.keys.create('admin', 'node ids admin')).secret;
    readerKey = (await server.services.keys.create('reader', 'node ids reader')).secret;
  });
  afterAll(() => server?.stop());

  async function ask(query: string, variables: Record<string, unknown> = {}, key?: string): Promise<{ body: Body; statements: number }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return { body: (await response.json()) as Body, statements: Number(response.headers.get('x-kiji-sql-statements')) };
  }

  let webhook: { endpoint: { id: string; url: string } } | undefined;
  /** A webhook endpoint (one per server, made on first use) and a delivery queued to it by a publication, as an admin lists them. */
  async function someWebhookDelivery(): Promise<{ endpoint: { id: string; url: string }; delivery: { id: string; webhookId: string; eventType: string } }> {
    if (!webhook) {
      const created = await ask(
        'mutation { createWebhookEndpoint(url: "https://example.com/hooks/node-ids", events: [POST_PUBLISHED]) { endpoint { id url } } }',
        {},
        adminKey,
      );
      expect(created.body.errors).toBeUndefined();
      webhook = (created.body.data!.createWebhookEndpoint as { endpoint: { id: string; url: string } }) ?? undefined;
    }
    const endpoint = webhook.endpoint;
    const made = await ask('mutation { createPost(input: { title: "Announced", bodyMarkdown: "x", author: "a", tags: [], categories: [] }) { id } }', {}, editorKey);
    expect(made.body.errors).toBeUndefined();
    const published = await ask('mutation ($id: ID!) { publishPost(id: $id) { id } }', { id: (made.body.data!.createPost as { id: string }).id }, editorKey);
    expect(published.body.errors).toBeUndefined();
    const listed = await ask('query ($e: ID!) { webhookDeliveries(endpointId: $e, first: 1) { id webhookId eventType } }', { e: endpoint.id }, adminKey);
    expect(listed.body.errors).toBeUndefined();
    const [delivery] = listed.body.data!.webhookDeliveries as { id: string; webhookId: string; eventType: string }[];
    return { endpoint, delivery };
  }

  /** A revision of a sample post, as an editor lists it. */
  async function someRevision(): Promise<{ id: string; version: number; title: string }> {
    const { body } = await ask('{ post(slug: "vim-registers") { revisions(first: 1) { edges { node { id version title } } } } }', {}, editorKey);
    expect(body.errors).toBeUndefined();
    const post = body.data!.post as { revisions: { edges: { node: { id: string; version: number; title: string } }[] } };
    return post.revisions.edges[0].node;
  }

  it('makes every object with an ID-typed `id` a Node', async () => {
    const { body } = await ask('{ __schema { types { name kind interfaces { name } fields { name type { kind ofType { name } } } } } }');
    type Type = {
      name: string;
      kind: string;
      interfaces: { name: string }[] | null;
      fields: { name: string; type: { kind: string; ofType: { name: string } | null } }[] | null;
    };
    const types = (body.data!.__schema as { types: Type[] }).types.filter((t) => t.kind === 'OBJECT' && !t.name.startsWith('__'));
    const withGlobalId = types.filter((t) => t.fields?.some((f) => f.name === 'id' && f.type.kind === 'NON_NULL' && f.type.ofType?.name === 'ID'));
    expect(withGlobalId.map((t) => t.name).sort()).toEqual(['Author', 'Category', 'Page', 'Post', 'PostRevision', 'PreviewLink', 'Tag', 'WebhookDelivery', 'WebhookEndpoint']);
    for (const type of withGlobalId) expect(type.interfaces?.map((i) => i.name)).toContain('Node');
  });

  it('gives back every Node type through node(id:), as the object its ID came from', async () => {
    const { body } = await ask('{ post(slug: "vim-registers") { id slug author { id slug } tags { id slug } categories { id slug } } }');
    const post = body.data!.post as {
      id: string;
      slug: string;
      author: { id: string; slug: string };
      tags: { id: string; slug: string }[];
      categories: { id: string; slug: string }[];
    };
    expect(post.tags.length).toBeGreaterThan(0);
    expect(post.categories.length).toBeGreaterThan(0);
    const objects = [
      { __typename: 'Post', id: post.id, slug: post.slug },
      { __typename: 'Author', ...post.author },
      { __typename: 'Tag', ...post.tags[0] },
      { __typename: 'Category', ...post.categories[0] },
    ];
    for (const object of objects) {
      expect((await ask(NODE, { id: object.id })).body).toEqual({ data: { node: object } });
    }
    const revision = await someRevision();
    expect((await ask(NODE, { id: revision.id }, editorKey)).body).toEqual({ data: { node: { __typename: 'PostRevision', ...revision } } });
    const { endpoint, delivery } = await someWebhookDelivery();
    expect((await ask(NODE, { id: endpoint.id }, adminKey)).body).toEqual({ data: { node: { __typename: 'WebhookEndpoint', ...endpoint } } });
    expect((await ask(NODE, { id: delivery.id }, adminKey)).body).toEqual({ data: { node: { __typename: 'WebhookDelivery', ...delivery } } });
    const link = await ask('mutation($id: ID!) { createPreviewLink(postId: $id) { link { id createdBy } } }', { id: post.id }, editorKey);
    const { link: previewLink } = link.body.data!.createPreviewLink as { link: { id: string; createdBy: string } };
    expect((await ask(NODE, { id: previewLink.id }, editorKey)).body).toEqual({ data: { node: { __typename: 'PreviewLink', ...previewLink } } });
    const { body: pages } = await ask('{ page(slug: "about") { id slug } }');
    const page = pages.data!.page as { id: string; slug: string };
    expect(page).toMatchObject({ slug: 'about' });
    expect((await ask(NODE, { id: page.id })).body).toEqual({ data: { node: { __typename: 'Page', ...page } } });
    // Every type that implements Node was tried above.
    const { body: schema } = await ask('{ __type(name: "Node") { possibleTypes { name } } }');
    const possible = (schema.data!.__type as { possibleTypes: { name: string }[] }).possibleTypes.map((t) => t.name);
    expect(possible.sort()).toEqual([...objects.map((o) => o.__typename), 'Page', 'PostRevision', 'PreviewLink', 'WebhookDelivery', 'WebhookEndpoint'].sort());
  });

  it('shows a revision to editors and admins, and null, without an error, to anyone else', async () => {
    const revision = await someRevision();
    const asAnonymous = await ask(NODE, { id: revision.id });
    expect(asAnonymous.body).toEqual({ data: { node: null } });
    expect((await ask(NODE, { id: revision.id }, editorKey)).body).toEqual({ data: { node: { __typename: 'PostRevision', ...revision } } });
    expect((await ask(NODE, { id: revision.id }, adminKey)).body).toEqual({ data: { node: { __typename: 'PostRevision', ...revision } } });
    expect((await ask(NODE, { id: revision.id }, readerKey)).body).toEqual({ data: { node: null } });
    // Asked again after an editor: the anonymous answer is still null (nothing cached for the editor leaks).
    expect((await ask(NODE, { id: revision.id })).body).toEqual({ data: { node: null } });
  });

  it('shows webhook endpoints and deliveries to admins, and null, without an error, to anyone else', async () => {
    const { endpoint, delivery } = await someWebhookDelivery();
    for (const key of [undefined, readerKey, editorKey]) {
      expect((await ask(NODE, { id: endpoint.id }, key)).body).toEqual({ data: { node: null } });
      expect((await ask(NODE, { id: delivery.id }, key)).body).toEqual({ data: { node: null } });
    }
    expect((await ask(NODE, { id: delivery.id }, adminKey)).body).toEqual({ data: { node: { __typename: 'WebhookDelivery', ...delivery } } });
    // Opaque like every other ID: neither the endpoint's key (`ep_…`) nor the `webhook-id` is its ID.
    expect(endpoint.id).not.toMatch(/^ep_/);
    expect(delivery.id).not.toBe(delivery.webhookId);
    const nothing = [base64url('WebhookEndpoint:ep_nothing'), base64url('WebhookDelivery:msg_nothing'), base64url('WebhookEndpoint:msg_x')];
    for (const id of nothing) expect((await ask(NODE, { id }, adminKey)).body).toEqual({ data: { node: null } });
  });

  it('takes webhook endpoints by their global ID in the mutations, and refuses their key or another ID', async () => {
    const { endpoint } = await someWebhookDelivery();
    const enable = 'mutation ($id: ID!) { enableWebhookEndpoint(id: $id) { id enabled } }';
    expect((await ask(enable, { id: endpoint.id }, adminKey)).body).toEqual({ data: { enableWebhookEndpoint: { id: endpoint.id, enabled: true } } });
    const key = Buffer.from(endpoint.id, 'base64url').toString('utf8').split(':')[1];
    const { body: postBody } = await ask('{ post(slug: "vim-registers") { id } }');
    for (const id of [key, (postBody.data!.post as { id: string }).id]) {
      const { body } = await ask(enable, { id }, adminKey);
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    }
  });

  it('reads several webhook deliveries in one batched statement', async () => {
    await someWebhookDelivery();
    const { endpoint } = await someWebhookDelivery();
    const listed = await ask('query ($e: ID!) { webhookDeliveries(endpointId: $e, first: 3) { id } }', { e: endpoint.id }, adminKey);
    const ids = (listed.body.data!.webhookDeliveries as { id: string }[]).map((d) => d.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const selection = (n: number) =>
      `{ ${ids
        .slice(0, n)
        .map((id, i) => `d${i}: node(id: "${id}") { id }`)
        .join(' ')} }`;
    const one = await ask(selection(1), {}, adminKey);
    const several = await ask(selection(ids.length), {}, adminKey);
    expect(several.body.data).toEqual(Object.fromEntries(ids.map((id, i) => [`d${i}`, { id }])));
    expect(several.statements).toBe(one.statements);
  });

  it('reads several revisions in one batched statement', async () => {
    const { body } = await ask('{ post(slug: "vim-registers") { id } }');
    const postId = (body.data!.post as { id: string }).id;
    const edit = async (version: number) => {
      const answer = await ask(
        'mutation ($id: ID!, $v: Int!, $t: String!) { updatePost(id: $id, expectedVersion: $v, input: { title: $t }) { version } }',
        { id: postId, v: version, t: `Vim registers, take ${version + 1}` },
        editorKey,
      );
      expect(answer.body.errors).toBeUndefined();
    };
    const before = await ask('{ post(slug: "vim-registers") { version } }', {}, editorKey);
    const version = (before.body.data!.post as { version: number }).version;
    await edit(version);
    await edit(version + 1);
    const listed = await ask('{ post(slug: "vim-registers") { revisions(first: 3) { edges { node { id version } } } } }', {}, editorKey);
    const ids = (listed.body.data!.post as { revisions: { edges: { node: { id: string; version: number } }[] } }).revisions.edges.map((e) => e.node);
    expect(ids.map((r) => r.version)).toEqual([version + 2, version + 1, version]);

    const selection = (n: number) =>
      `{ ${ids
        .slice(0, n)
        .map((r, i) => `r${i}: node(id: "${r.id}") { ... on PostRevision { version } }`)
        .join(' ')} }`;
    const one = await ask(selection(1), {}, editorKey);
    const three = await ask(selection(3), {}, editorKey);
    expect(three.body).toEqual({ data: { r0: { version: version + 2 }, r1: { version: version + 1 }, r2: { version } } });
    expect(three.statements).toBe(one.statements);
  });

  describe('an ID Kiji could not have given', () => {
    const malformed: [string, unknown][] = [
      ['the empty string', ''],
      ['text that is not base64url', '%%%'],
      ['a type and id not encoded', 'Post:1'],
      ['base64url of text that is not Type:id', base64url('hello')],
      ['an unknown type', base64url('User:1')],
      ['a type in the wrong case', base64url('post:1')],
      ['a zero id', base64url('Post:0')],
      ['a negative id', base64url('Post:-1')],
      ['a non-numeric id', base64url('Post:12abc')],
      ['an id past the database integer range', base64url('Post:9999999999999999')],
      ['the text Post:9999999999999999', 'Post:9999999999999999'],
      ['a NUL byte', '\u0000'],
      ['a NUL byte inside the encoded text', base64url('Post:1\u0000')],
      ['a NUL byte after a real ID', `${base64url('Post:1')}\u0000`],
      ['a cursor', base64url(JSON.stringify(['2024-01-01T00:00:00.000Z', 1]))],
      ['5,000 characters', 'A'.repeat(5000)],
      ['a number', 12],
    ];

    it.each(malformed)('node(id:) answers null, with no error, for %s', async (_name, id) => {
      expect((await ask(NODE, { id })).body).toEqual({ data: { node: null } });
      expect((await ask(NODE, { id }, editorKey)).body).toEqual({ data: { node: null } });
    });

    it('node(id:) answers null for one written in the query, and for well-formed IDs of nothing', async () => {
      expect((await ask('{ a: node(id: "") { id } b: node(id: "%%%") { id } }')).body).toEqual({ data: { a: null, b: null } });
      const nothing = { post: base64url('Post:2147483647'), revision: base64url('PostRevision:2147483647'), tag: base64url('Tag:2147483647') };
      for (const id of Object.values(nothing)) expect((await ask(NODE, { id }, editorKey)).body).toEqual({ data: { node: null } });
    });

    it.each(malformed)('the other `id` arguments still refuse %s with BAD_USER_INPUT', async (_name, id) => {
      const { body } = await ask('query ($id: ID) { post(id: $id) { id } }', { id });
      expect(body.data).toEqual({ post: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    });
  });
});
