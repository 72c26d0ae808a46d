import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_QUERY_LENGTH, searchTokens } from '../../src/content/searchTokens';
import { MAX_QUERY_TOKENS } from '../../src/services/search/search-query';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';

/*
 * A search is bounded before it reaches the index: at most 200 characters and 64 search terms
 * (words, and pairs of Japanese characters). Within those bounds, a search costs the index work
 * once, not once per post: on SQLite that work holds the event loop, and a 200-character
 * Japanese query once blocked every client for seconds.
 */

const SENTENCES = [
  'Vimの設定ファイルを見直して、プラグインの読み込みを遅延させることで起動時間を短縮する方法について説明します。',
  'まずは現在の起動時間を計測し、どのプラグインが時間を消費しているのかを確認しましょう。',
  '次に、必要なときだけ読み込むように設定を変更します。これにより、エディタの起動が速くなります。',
  '最後に、設定の管理方法についても触れます。快適に作業できるようになるでしょう。',
];

/** Japanese posts that share most of their character pairs, so every pair of a long query has long posting lists. */
function writeJapanesePosts(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-search-limits-'));
  for (let i = 1; i <= count; i++) {
    const day = new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const body = Array.from({ length: 6 }, (_, j) => SENTENCES[(i + j) % SENTENCES.length]).join('\n\n');
    fs.writeFileSync(path.join(dir, `${day}-vim-${i}.md`), `---\ntitle: "Vimの設定 その${i}"\ndate: ${day} 09:00:00 +0900\ntags: [vim, 設定]\n---\n\n${body}\n`);
  }
  return dir;
}

/** `count` tokens of Japanese: one run of count + 1 characters, cut from the sentences. */
const JAPANESE = SENTENCES.join('').replace(/[、。A-Za-z]/g, '');
const japaneseOfTokens = (count: number) => JAPANESE.slice(0, count + 1);

/** The longest query accepted, as a reader pasting the posts' first sentences would send it: 64 terms, all found. */
const LONGEST = SENTENCES.join('').slice(0, 73);

describeEachDatabase('search limits', (kind) => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'off' });
    dir = writeJapanesePosts(300);
    expect((await server.importPaths([dir])).failed).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function search(query: string, aliases = 1) {
    const fields = Array.from({ length: aliases }, (_, i) => `s${i}: posts(first: 20, filter: { query: $q }) { totalCount edges { node { slug searchSnippet } } }`);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query ($q: String!) { ${fields.join(' ')} }`, variables: { q: query } }),
    });
    return (await response.json()) as { data?: Record<string, { totalCount: number }> | null; errors?: { message: string; extensions: Record<string, unknown> }[] };
  }

  it('refuses a query of more than 64 search terms, naming the limit', async () => {
    const answer = await search(japaneseOfTokens(MAX_QUERY_TOKENS + 1));
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.query', limit: MAX_QUERY_TOKENS });
    expect(answer.errors![0].message).toContain(String(MAX_QUERY_TOKENS));
  });

  it('refuses the 200-character Japanese query that blocked the server, and one of 65 English words', async () => {
    const sentence = SENTENCES.join('').repeat(3).slice(0, 200);
    const english = Array.from({ length: 65 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' ');
    for (const query of [sentence, english]) {
      const answer = await search(query);
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.query', limit: MAX_QUERY_TOKENS });
    }
  });

  it('refuses a query over 200 characters, naming that limit', async () => {
    const answer = await search('vim '.repeat(60));
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.query', limit: MAX_QUERY_LENGTH });
  });

  it('accepts a query of exactly 64 search terms, and finds the posts that hold it', async () => {
    expect(searchTokens(LONGEST)).toHaveLength(MAX_QUERY_TOKENS);
    const answer = await search(LONGEST);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.s0.totalCount).toBe(300);
  });

  it('answers five aliases of the longest query it accepts within a second (the index work runs once per search, not once per post)', async () => {
    const started = performance.now();
    const answer = await search(LONGEST, 5);
    const elapsed = performance.now() - started;
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.s4.totalCount).toBe(300);
    expect(elapsed).toBeLessThan(1000);
  });
});
