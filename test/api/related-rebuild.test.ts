import type { Viewer } from '../../src/services/access';
import { DatabaseKind, describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { holdNextWrite } from '../support/held-write';
import { startTestServer, TestServer } from '../support/server';

/*
 * related-index.ts keeps related lists two ways: a full rebuild (vectors and neighbours in memory,
 * related-bulk.ts) and the incremental path after a single write (SQL per changed post). Both must
 * store the same lists: the same neighbours, in the same order, with the same scores. Recency
 * comes from the clock, which the test server fixes (TEST_NOW).
 */

const EDITOR: Viewer = { role: 'editor', keyId: null, keyName: 'related test' };

/** Words by subject: posts on one subject share many, posts on neighbouring subjects a few. */
const SUBJECTS = [
  ['cooling', 'immersion', 'liquid', 'rack', 'heat', 'water', 'datacenter'],
  ['vim', 'registers', 'macros', 'editor', 'buffer', 'yank', 'keystrokes'],
  ['graphql', 'schema', 'resolver', 'query', 'cursor', 'pagination', 'api'],
  ['postgres', 'index', 'vacuum', 'query', 'planner', 'buffer', 'statistics'],
  ['garden', 'tomato', 'compost', 'water', 'soil', 'seeds', 'harvest'],
  ['cycling', 'gears', 'chain', 'climb', 'cadence', 'tyres', 'commute'],
];
const TAGS = ['infra', 'tools', 'web', 'databases', 'outdoors', 'notes'];

/** Forty posts over six subjects and six years, with tags and categories that overlap across subjects; four drafts among them if asked. */
function relatedFixture(withDrafts: boolean): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) {
    const subject = SUBJECTS[i % SUBJECTS.length];
    const nearby = SUBJECTS[(i * 5 + 1) % SUBJECTS.length];
    const words = Array.from({ length: 24 }, (_, k) => (k % 4 === 3 ? nearby[(i + k) % nearby.length] : subject[(i * 3 + k) % subject.length]));
    const date = new Date(Date.UTC(2020 + (i % 6), (i * 7) % 12, 1 + (i % 27))).toISOString().slice(0, 10);
    const tags = [...new Set([TAGS[i % TAGS.length], TAGS[(i * 5 + 1) % TAGS.length], i % 4 === 0 ? 'favourites' : `series-${i % 9}`])];
    files[`${date}-post-${i}.md`] = [
      '---',
      `title: "${subject[i % subject.length]} and ${nearby[i % nearby.length]}, part ${i}"`,
      `date: ${date}`,
      `tags: [${tags.join(', ')}]`,
      `categories: [${['notes', 'guides', 'essays'][i % 3]}]`,
      ...(withDrafts && i % 10 === 7 ? ['published: false'] : []),
      '---',
      '',
      `${words.join(' ')}.`,
      '',
    ].join('\n');
  }
  return files;
}

interface Stored {
  id: number;
  score: number;
}

/**
 * A test server (one per `describe`) holding relatedFixture(withDrafts): its stored related lists,
 * and the writes that change them.
 */
function relatedArchive(kind: DatabaseKind, withDrafts: boolean) {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    expect((await server.importPaths([writeFixtureFolder(relatedFixture(withDrafts))])).failed).toEqual([]);
  });
  afterAll(() => server?.stop());
  const query = <T>(sql: string): Promise<T[]> => server.dataSource.query(sql);

  const archive = {
    server: () => server,
    rebuild: () => server.services.related.rebuild(),
    /** Every stored list, best first. */
    async stored(): Promise<Map<number, Stored[]>> {
      const rows = await query<{ postId: number; relatedId: number; score: number }>(
        'SELECT "postId", "relatedId", score FROM related_posts ORDER BY "postId", score DESC, "relatedId"',
      );
      const lists = new Map<number, Stored[]>();
      for (const row of rows) {
        const list = lists.get(Number(row.postId)) ?? [];
        list.push({ id: Number(row.relatedId), score: Number(row.score) });
        lists.set(Number(row.postId), list);
      }
      return lists;
    },
    async publishedIds(): Promise<number[]> {
      return (await query<{ id: number }>(`SELECT id FROM posts WHERE status = 'published' ORDER BY id`)).map((r) => Number(r.id));
    },
    /** An editor's save of post `id`, through the one write path; with no patch, a save that changes nothing the lists depend on. */
    async save(id: number, patch: { bodyMarkdown?: string } = {}): Promise<void> {
      const [post] = await query<{ version: number; title: string }>(`SELECT version, title FROM posts WHERE id = ${id}`);
      await server.services.writer.update(EDITOR, id, Number(post.version), { title: post.title, ...patch });
    },
    async body(id: number): Promise<string> {
      return (await query<{ body: string }>(`SELECT "bodyMarkdown" AS body FROM posts WHERE id = ${id}`))[0].body;
    },
    /** Rebuilds, then saves each published post in turn: every list must stay as rebuilt. */
    async expectEverySaveToKeepTheRebuild(): Promise<void> {
      await archive.rebuild();
      const rebuilt = await archive.stored();
      // Each save refreshes the post's own list and every list it is in, on the incremental path.
      for (const id of await archive.publishedIds()) {
        await archive.save(id);
        expectSameLists(await archive.stored(), rebuilt, `after saving post ${id}`);
      }
    },
  };
  return archive;
}

/** Same posts with lists, same neighbours in the same order, scores equal but for rounding. */
function expectSameLists(actual: Map<number, Stored[]>, expected: Map<number, Stored[]>, when: string): void {
  const listed = (lists: Map<number, Stored[]>) => [...lists.keys()].sort((a, b) => a - b);
  expect({ when, posts: listed(actual) }).toEqual({ when, posts: listed(expected) });
  for (const [postId, list] of expected) {
    const got = actual.get(postId)!;
    expect({ when, postId, neighbours: got.map((n) => n.id) }).toEqual({ when, postId, neighbours: list.map((n) => n.id) });
    got.forEach((n, k) => expect({ when, postId, neighbour: n.id, close: Math.abs(n.score - list[k].score) < 1e-9 }).toEqual({ when, postId, neighbour: n.id, close: true }));
  }
}

describeEachDatabase('related lists, rebuilt and incremental', (kind) => {
  const archive = relatedArchive(kind, false);

  it('rebuilds full lists, with scores that differ from post to post', async () => {
    await archive.rebuild();
    const stored = await archive.stored();
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual(await archive.publishedIds());
    expect(stored.size).toBe(40);
    expect(Math.max(...[...stored.values()].map((list) => list.length))).toBe(20);
    expect(new Set([...stored.values()].flatMap((list) => list.map((n) => n.score.toFixed(6)))).size).toBeGreaterThan(100);
  });

  it('stores, after a save of any post, what a full rebuild stores', () => archive.expectEverySaveToKeepTheRebuild());

  /*
   * SQLite's one connection shows a rebuild's reads an open write's rows and content generation.
   * If that write rolls back and the next write takes the same generation, the rebuild must not
   * take its lists, made from content that never was, for current.
   */
  it('stores nothing a rebuild read from a write that then rolled back', async () => {
    await archive.rebuild();
    const rebuilt = await archive.stored();
    const server = archive.server();
    const [changed] = await archive.publishedIds();
    const related = server.services.related as unknown as { build: (manager: unknown) => Promise<unknown> };
    const build = related.build.bind(related);
    let built!: () => void;
    let proceed!: () => void;
    const hasBuilt = new Promise<void>((resolve) => (built = resolve));
    const mayWrite = new Promise<void>((resolve) => (proceed = resolve));
    const spy = jest.spyOn(related, 'build').mockImplementationOnce(async (manager) => {
      const result = await build(manager);
      built();
      await mayWrite;
      return result;
    });
    const hold = holdNextWrite(server);
    try {
      const failing = archive.save(changed, { bodyMarkdown: `${SUBJECTS[3].join(' ')}.` }).then(
        () => 'committed',
        () => 'rolled back',
      );
      await hold.inside;
      const rebuilding = archive.rebuild();
      await hasBuilt;
      hold.release();
      expect(await failing).toBe('rolled back');
      // A committed write that moves the content generation on by one, as the rolled-back one had.
      await server.services.termWriter.updateTag(EDITOR, { slug: TAGS[0] }, { description: 'Racks and rooms.' });
      proceed();
      await rebuilding;
      expectSameLists(await archive.stored(), rebuilt, 'after a rebuild that read a rolled-back write');
    } finally {
      hold.restore();
      spy.mockRestore();
    }
  });

  /*
   * A changed post that enters a full list pushes its last neighbour out; when the change is
   * undone, that neighbour must come back (RelatedIndex.refresh recomputes every list that held
   * the post, also one it is offered back to).
   */
  it('stores, after a change and its undoing, what a full rebuild stores', async () => {
    await archive.rebuild();
    const rebuilt = await archive.stored();
    for (const id of (await archive.publishedIds()).slice(0, 12)) {
      const body = await archive.body(id);
      await archive.save(id, { bodyMarkdown: `${SUBJECTS[3].join(' ')}.` });
      await archive.save(id, { bodyMarkdown: body });
      expectSameLists(await archive.stored(), rebuilt, `after changing post ${id} and undoing the change`);
    }
  });
});

describeEachDatabase('related lists, rebuilt and incremental, with drafts', (kind) => {
  const archive = relatedArchive(kind, true);

  it('rebuilds lists for published posts only, with no draft in them', async () => {
    await archive.rebuild();
    const stored = await archive.stored();
    const published = await archive.publishedIds();
    expect(published).toHaveLength(36);
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual(published);
    for (const list of stored.values()) for (const n of list) expect(published).toContain(n.id);
  });

  /*
   * Drafts share tags with published posts: a tag's rarity counts its published posts only, on
   * both paths (a draft's tag must not make shared tags look common).
   */
  it('stores, after a save of any post, what a full rebuild stores', () => archive.expectEverySaveToKeepTheRebuild());
});
