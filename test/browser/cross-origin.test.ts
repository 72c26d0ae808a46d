import type { Browser, Page } from 'playwright-core';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { describeWithChromium, launchChromium, PageServer, servePage } from '../support/browser';
import { startTestServer, TestServer } from '../support/server';

/*
 * A web app on another origin calling Kiji with the browser's own `fetch`, as a page's script
 * would: Chromium enforces CORS (preflights included), so this passes only if Kiji's answers
 * let it. The app is a second tiny server on another port; Kiji keeps its default CORS (`*`).
 */

const FEED = `query Feed($after: String) {
  posts(first: 5, after: $after) { edges { node { title } } pageInfo { hasNextPage endCursor } }
}`;
const DRAFT = '{ post(slug: "air-cooled-rack-retrofit") { title status } }';

interface FeedPage {
  data: { posts: { edges: { node: { title: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
}

describeWithChromium('a web app on another origin (Chromium)', () => {
  let server: TestServer;
  let app: PageServer;
  let browser: Browser;
  let page: Page;
  let kiji: string;
  let editorKey: string;
  let feed: string[];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    editorKey = (await server.services.keys.create('editor', 'web app')).secret;
    const url = new URL(server.url);
    url.hostname = '127.0.0.1';
    kiji = url.href;
    // The whole feed as Kiji's own (non-browser) client reads it: what the page must see.
    const all = (await (
      await fetch(kiji, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ posts(first: 100) { edges { node { title } } } }' }),
      })
    ).json()) as FeedPage;
    feed = all.data.posts.edges.map((edge) => edge.node.title);
    expect(feed.length).toBeGreaterThan(10);

    app = await servePage('<!doctype html><meta charset="utf-8"><title>A web app</title><p>Reading Kiji from another origin.</p>');
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(app.origin);
    expect(new URL(page.url()).origin).not.toBe(new URL(kiji).origin);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await server?.stop();
  });

  it('pages through the whole feed with POST and JSON (a preflighted request): every post once, Japanese titles intact', async () => {
    const titles = await page.evaluate(
      async ({ kiji, query }) => {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const response = await fetch(kiji, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { after } }) });
          const { data } = (await response.json()) as FeedPage;
          seen.push(...data.posts.edges.map((edge) => edge.node.title));
          if (!data.posts.pageInfo.hasNextPage) return seen;
          after = data.posts.pageInfo.endCursor;
        }
      },
      { kiji, query: FEED },
    );
    expect(titles).toEqual(feed);
    expect(titles).toContain('Amazon Bedrockで社内文書検索を作る');
  });

  it('reads with a GET query and no headers (a simple request, as urql sends it), and may read the ETag', async () => {
    const answer = await page.evaluate(
      async (url) => {
        const response = await fetch(url);
        return { status: response.status, etag: response.headers.get('etag'), body: (await response.json()) as FeedPage };
      },
      `${kiji}?query=${encodeURIComponent('{ posts(first: 3) { edges { node { title } } pageInfo { hasNextPage endCursor } } }')}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data.posts.edges.map((edge) => edge.node.title)).toEqual(feed.slice(0, 3));
    // Exposed by Kiji's CORS answer; a page could not read it otherwise.
    expect(answer.etag).toMatch(/.+/);
  });

  it("sends an editor's key in the Authorization header and sees drafts; without it, not", async () => {
    const draft = (authorization?: string) =>
      page.evaluate(
        async ({ kiji, query, authorization }) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (authorization) headers.authorization = authorization;
          const response = await fetch(kiji, { method: 'POST', headers, body: JSON.stringify({ query }) });
          return (await response.json()) as { data: { post: { title: string; status: string } | null } };
        },
        { kiji, query: DRAFT, authorization },
      );
    expect((await draft()).data.post).toBeNull();
    expect((await draft(`Bearer ${editorKey}`)).data.post).toEqual({ title: '空冷ラック改修計画メモ', status: 'DRAFT' });
  });
});
