import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { describeWithChromium, launchChromium, TEST_ARTIFACTS_DIR } from '../support/browser';
import { startKiji } from '../support/kiji-process';
import { startTestServer, TestServer } from '../support/server';

/*
 * The explorer page `GET /graphql` shows a browser (src/http/explorer.ts): GraphiQL served by Kiji
 * itself. In Chromium with every other origin cut off, it must load, show the schema, run what is
 * typed into it and send the key typed into its header editor.
 */

/** Kiji's address on 127.0.0.1 (what the browser is allowed to reach). */
function onLoopback(server: TestServer): string {
  const url = new URL(server.url);
  url.hostname = '127.0.0.1';
  return url.origin;
}

describe('the explorer over HTTP', () => {
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    origin = onLoopback(server);
  });
  afterAll(() => server?.stop());

  it('is the page a browser gets at /graphql, and its files are cacheable for good, compressed and nosniff', async () => {
    const page = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="(\/explorer\/[^"]+)"/g)].map((match) => match[1]);
    expect(sources).toHaveLength(6);
    for (const source of sources) {
      const file = await fetch(`${origin}${source}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(file.status).toBe(200);
      expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-type')).toMatch(source.includes('.css') ? /^text\/css/ : /^(text|application)\/javascript/);
      if (source.startsWith('/explorer/graphiql.js')) expect(file.headers.get('content-encoding')).toBe('br');
      await file.arrayBuffer();
    }
    // Nothing else of node_modules or of the source tree is reachable through it.
    for (const other of ['/explorer/../package.json', '/explorer/graphiql.min.js.map', '/explorer/constructor', '/explorer/']) {
      expect((await fetch(`${origin}${other}`)).status).toBe(404);
    }
  });

  it('is not served with KIJI_EXPLORER=off', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-explorer-off-'));
    const kiji = await startKiji('serve', { DATABASE_URL: `sqlite:${path.join(dir, 'kiji.sqlite')}`, KIJI_EXPLORER: 'off' });
    try {
      const page = await fetch(kiji.graphql, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).not.toMatch(/html/);
      await page.arrayBuffer();
      expect((await fetch(`${kiji.base}/explorer/graphiql.js`)).status).toBe(404);
    } finally {
      await kiji.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithChromium('the explorer in Chromium, with the network cut off but for Kiji', () => {
  let server: TestServer;
  let origin: string;
  let editorKey: string;
  let browser: Browser;
  let page: Page;
  /** Requests to anywhere but Kiji (aborted), and errors the page reported: both must stay empty. */
  const elsewhere: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    editorKey = (await server.services.keys.create('editor', 'explorer')).secret;
    origin = onLoopback(server);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route('**', (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${origin}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(() => {
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  /** Replaces the query, as a person would paste it, and waits until GraphiQL has read it (the tab takes the operation's name). */
  async function typeQuery(operationName: string, query: string): Promise<void> {
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(query);
    await page.locator('.graphiql-tab-button', { hasText: operationName }).waitFor();
  }

  /** Clicks the run button and waits until the result pane shows `expected`. */
  async function runAndSee(expected: string): Promise<void> {
    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction((text) => document.querySelector('.result-window')?.textContent?.includes(text), expected);
  }

  it('shows the schema in Docs, descriptions included (from introspection)', async () => {
    const introspected = (await (
      await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __type(name: "Query") { fields { name description } } }' }),
      })
    ).json()) as { data: { __type: { fields: { name: string; description: string }[] } } };
    const posts = introspected.data.__type.fields.find((field) => field.name === 'posts')!;
    expect(posts.description).toMatch(/\w/);

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).click();
    await docs.getByText('PostConnection!').first().waitFor();
    // Rendered from Markdown: compare a plain stretch of words.
    await docs
      .getByText(/^[^`*_[]+/.exec(posts.description)![0].trim(), { exact: false })
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  });

  it('runs a feed query typed into the editor and shows its result, Japanese titles as they are', async () => {
    await typeQuery('FeedTitles', 'query FeedTitles { posts(first: 5) { edges { node { title } } } }');
    await runAndSee('Amazon Bedrockで社内文書検索を作る');
  });

  it("sends an editor's key typed into the header editor: a draft appears", async () => {
    await typeQuery('Draft', 'query Draft { post(slug: "air-cooled-rack-retrofit") { title status } }');
    await runAndSee('"post": null');

    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').click();
    await page.keyboard.insertText(`{"Authorization": "Bearer ${editorKey}"}`);
    const keyed = page.waitForRequest((request) => request.method() === 'POST' && request.headers().authorization === `Bearer ${editorKey}`);
    await runAndSee('空冷ラック改修計画メモ');
    await keyed;

    fs.mkdirSync(TEST_ARTIFACTS_DIR, { recursive: true });
    const screenshot = path.join(TEST_ARTIFACTS_DIR, 'explorer.png');
    await page.screenshot({ path: screenshot });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
  });
});
