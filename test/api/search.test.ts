import fs from 'node:fs';
import path from 'node:path';
import { SearchHeadSqlite1765500000000 } from '../../migrations/1765500000000-SearchHeadSqlite';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { ANONYMOUS, type Viewer } from '../../src/services/access';
import { SearchDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { holdNextWrite } from '../support/held-write';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';

/** Search over the sample content, which the sample's own README-less list of words documents in each test. */
describeEachDatabase('search', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    const summary = await server.importPaths([SAMPLE_CONTENT_DIR]);
    expect(summary.failed).toEqual([]);
  });
  afterAll(() => server?.stop());

  async function search(query: string, extra: Record<string, unknown> = {}) {
    const result = await server.client.query(SearchDocument, { filter: { query }, first: 20, ...extra }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!.posts;
  }
  const slugs = (posts: { edges: { node: { slug: string } }[] }) => posts.edges.map((e) => e.node.slug);

  it('finds a 2-character Japanese word inside running text, title hits first', async () => {
    const hits = await search('冷却');
    // 冷却 is in two titles; one post has it only as a tag, another only in its body.
    expect(slugs(hits).slice(0, 2).sort()).toEqual(['cooling-water-quality', 'immersion-cooling']);
    expect(slugs(hits).indexOf('chilled-water-loops')).toBeLessThan(slugs(hits).indexOf('japanese-search-ngram'));
    expect(slugs(hits)).toEqual(expect.arrayContaining(['immersion-cooling', 'cooling-water-quality', 'japanese-search-ngram', 'chilled-water-loops']));
    // The draft about air-cooled racks mentions 冷却 too, but drafts are never public hits.
    expect(slugs(hits)).not.toContain('air-cooled-rack-retrofit');
    expect(hits.totalCount).toBe(hits.edges.length);
  });

  it('finds a longer word only where it occurs as a whole', async () => {
    const hits = await search('液浸冷却');
    expect(new Set(slugs(hits))).toEqual(new Set(['immersion-cooling', 'cooling-water-quality', 'japanese-search-ngram']));
    expect(slugs(hits)[0]).toBe('immersion-cooling');
  });

  it('finds mixed-script words and English words case-insensitively', async () => {
    expect(slugs(await search('生成AI'))).toEqual(expect.arrayContaining(['immersion-cooling', 'bedrock-rag', 'llm-evaluation', 'shipping-llm-on-bedrock']));
    const bedrock = slugs(await search('bedrock'));
    expect(bedrock).toEqual(expect.arrayContaining(['shipping-llm-on-bedrock', 'bedrock-rag', 'llm-evaluation']));
    expect(slugs(await search('BEDROCK'))).toEqual(bedrock);
  });

  it('requires every term of a query', async () => {
    const both = slugs(await search('Amazon Bedrock'));
    expect(both).toEqual(expect.arrayContaining(['bedrock-rag', 'shipping-llm-on-bedrock']));
    for (const slug of both) expect(slugs(await search('bedrock'))).toContain(slug);
    expect(slugs(await search('bedrock 液浸冷却'))).toEqual([]);
  });

  it('combines with filters, other orders and pagination', async () => {
    expect(slugs(await search('冷却', { filter: { query: '冷却', tag: 'データセンター' } }))).not.toContain('cooling-water-quality');
    const byDate = await search('冷却', { orderBy: 'NEWEST' });
    const dates = byDate.edges.map((e) => e.node.publishedAt!);
    expect([...dates].sort().reverse()).toEqual(dates);
    const all = slugs(await search('冷却'));
    const first = await search('冷却', { first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await search('冷却', { first: 20, after: first.pageInfo.endCursor });
    expect([...slugs(first), ...slugs(rest)]).toEqual(all);
  });

  it('marks the hits in a safe snippet', async () => {
    const hits = await search('液浸冷却');
    for (const { node } of hits.edges) {
      expect(node.searchSnippet).toContain('<mark>液浸冷却</mark>');
      expect(node.searchSnippet!.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
  });

  it('rejects empty and oversized queries, and finds nothing for punctuation', async () => {
    for (const query of ['', '   ', 'x'.repeat(10_000)]) {
      const result = await server.client.query(SearchDocument, { filter: { query } }).toPromise();
      expect(result.error?.graphQLErrors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(result.error?.graphQLErrors[0].message).toMatch(/filter\.query/);
    }
    const punctuation = await search('?!… ---');
    expect(punctuation.edges).toEqual([]);
    expect(punctuation.totalCount).toBe(0);
  });

  it('follows re-imports: new words are found, removed ones and unpublished posts are not', async () => {
    const dir = writeFixtureFolder({
      '2024-09-01-kumquat.md': '---\ntitle: Kumquat harvest\ndate: 2024-09-01\n---\n\nThe zanzibar kumquat grows well.\n',
    });
    const file = path.join(dir, '2024-09-01-kumquat.md');
    try {
      await server.importPaths([dir]);
      expect(slugs(await search('zanzibar'))).toEqual(['kumquat']);
      fs.writeFileSync(file, '---\ntitle: Kumquat harvest\ndate: 2024-09-01\n---\n\nThe timbuktu kumquat grows well.\n');
      expect((await server.importPaths([dir])).updated).toBe(1);
      expect(slugs(await search('zanzibar'))).toEqual([]);
      expect(slugs(await search('timbuktu'))).toEqual(['kumquat']);
      fs.writeFileSync(file, '---\ntitle: Kumquat harvest\ndate: 2024-09-01\npublished: false\n---\n\nThe timbuktu kumquat.\n');
      await server.importPaths([dir]);
      expect(slugs(await search('timbuktu'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps totalCount exact after writes, on this instance and on another one of the same database', async () => {
    // Counts are kept per content generation (SearchCounts): searched before each write, so that a
    // count kept from before it would be there to be served. The other instance has no response
    // cache, so its answers come from its own kept counts.
    const other = await startTestServer(kind, { shareDatabaseWith: server, responseCache: 'off' });
    const dir = writeFixtureFolder({});
    const count = async (instance: TestServer) => {
      const result = await instance.client.query(SearchDocument, { filter: { query: 'wombat' }, first: 1 }).toPromise();
      expect(result.error).toBeUndefined();
      return result.data!.posts.totalCount;
    };
    try {
      for (const n of [1, 2, 3]) {
        expect([await count(server), await count(other)]).toEqual([n - 1, n - 1]);
        fs.writeFileSync(path.join(dir, `wombat-${n}.md`), `---\ntitle: Wombat ${n}\ndate: 2024-03-0${n}\n---\n\nA wombat digs.\n`);
        await server.importPaths([dir]);
      }
      expect([await count(server), await count(other)]).toEqual([3, 3]);
      fs.writeFileSync(path.join(dir, 'wombat-3.md'), '---\ntitle: Wombat 3\ndate: 2024-03-03\npublished: false\n---\n\nA wombat digs.\n');
      await server.importPaths([dir]);
      expect([await count(server), await count(other)]).toEqual([2, 2]);
    } finally {
      await other.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never counts, or keeps a count of, a write that then rolls back', async () => {
    // On SQLite every read shares the one connection with an open write transaction: a count taken
    // inside it would see the write's index rows and its generation, and be kept under it.
    const editor: Viewer = { role: 'editor', keyId: null, keyName: 'rollback test' };
    const [post, other] = (await server.services.posts.page(ANONYMOUS, {}, 'OLDEST', { first: 2 }, { include: {} })).rows;
    const count = () => server.services.posts.count(ANONYMOUS, { query: 'zzphantom' });
    expect(await count()).toBe(0);
    // The write stops after its index rows and generation are written, until `release`; then it fails.
    const held = holdNextWrite(server);
    try {
      const failing = server.services.writer.update(editor, post.id, post.version, { title: 'The zzphantom post' }).then(
        () => 'committed',
        () => 'rolled back',
      );
      await held.inside;
      const during = count();
      // A moment for a count that does not wait for the write to read what it should not (not an assertion on time).
      await new Promise((resolve) => setTimeout(resolve, 100));
      held.release();
      expect(await failing).toBe('rolled back');
      expect(await during).toBe(0);
      // Another write commits (the generation moves on as the rolled-back one had): still nothing.
      await server.services.writer.update(editor, other.id, other.version, { title: `${other.title} (edited)` });
      expect(await count()).toBe(0);
    } finally {
      held.restore();
    }
  });

  // On PostgreSQL the migration does nothing: its head has been written with every document since SearchSpeed.
  (kind === 'sqlite' ? it : it.skip)('ranks the same after upgrading: the SQLite head copied out of the index by its migration', async () => {
    // Read without the response cache, which the migration (no content change) would not invalidate.
    const reader = await startTestServer(kind, { shareDatabaseWith: server, responseCache: 'off' });
    const queries = ['冷却', '液浸冷却', '生成AI', 'bedrock', 'Amazon Bedrock', 'データセンター'];
    const ranked = async () => {
      const answers: string[][] = [];
      for (const query of queries) {
        const result = await reader.client.query(SearchDocument, { filter: { query }, first: 20 }).toPromise();
        expect(result.error).toBeUndefined();
        answers.push(slugs(result.data!.posts));
      }
      return answers;
    };
    try {
      const written = await ranked();
      expect(written.flat().length).toBeGreaterThan(queries.length * 2);
      const runner = server.dataSource.createQueryRunner();
      try {
        await new SearchHeadSqlite1765500000000().down(runner);
        await new SearchHeadSqlite1765500000000().up(runner);
      } finally {
        await runner.release();
      }
      expect(await ranked()).toEqual(written);
    } finally {
      await reader.stop();
    }
  });

  it('counts only the matches a reader may see: no drafts, no scheduled posts until their time', async () => {
    const dir = writeFixtureFolder({
      'a.md': '---\ntitle: Quokka one\ndate: 2024-01-01\n---\n\nA quokka smiles.\n',
      'b.md': '---\ntitle: Quokka two\ndate: 2024-01-02\npublished: false\n---\n\nA quokka hides.\n',
      'c.md': '---\ntitle: Quokka three\ndate: 2026-07-01\n---\n\nA quokka waits.\n',
    });
    try {
      await server.importPaths([dir]);
      const before = await search('quokka');
      expect(slugs(before)).toEqual(['quokka-one']);
      expect(before.totalCount).toBe(1);
      expect((await search('quokka', { orderBy: 'NEWEST' })).totalCount).toBe(1);
      server.clock.set(new Date('2026-07-02T00:00:00Z'));
      const after = await search('quokka');
      expect(slugs(after).sort()).toEqual(['quokka-one', 'quokka-three']);
      expect(after.totalCount).toBe(2);
    } finally {
      server.clock.set(TEST_NOW);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
