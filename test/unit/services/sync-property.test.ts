import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Post } from '../../../src/entities';
import type { Viewer } from '../../../src/services/access';
import { KijiError } from '../../../src/services/shared';
import type { ChangePage } from '../../../src/services/sync';
import { describeEachDatabase } from '../../support/databases';
import { startTestServer, TEST_NOW, TestServer } from '../../support/server';

/*
 * The delta sync's property: random histories of writes (creates, edits, publishes, schedules
 * with a moving clock, unpublishes, deletes, restores, revision restores, re-imports, some of
 * them concurrent, compactions), with a partner that syncs from zero and then at random moments,
 * in the middle of concurrent writes too. Whenever it has synced until `hasMore` is false with no
 * write in flight, it must hold exactly the posts an anonymous reader sees, at their current
 * versions. Driven through the services (the GraphQL contract has its own test, test/api/sync).
 *
 * Seeded and reproducible: SYNC_SEED=<n> replays a run (the seed is in the test's name and in any
 * failure); SYNC_HISTORIES=<n> sets the number of histories per database (default 300).
 *
 * The seed changes with every run, on purpose. A fixed seed would replay the same 300 histories
 * forever and find nothing new after its first run; a new seed each run explores new histories,
 * and a rare bug then turns a CI run red with the seed that replays it, which is what we want of
 * a property test. The PostgreSQL run takes seed + 1, so the two databases explore different ones.
 */

const SEED = Number(process.env.SYNC_SEED ?? Date.now() % 1_000_000);
const HISTORIES = Number(process.env.SYNC_HISTORIES ?? 300);
/** Histories share a database in batches, so the archive grows but initial syncs stay short. */
const PER_DATABASE = 40;
const EDITOR: Viewer = { role: 'editor', keyId: null, keyName: 'property test' };
const PARTNER: Viewer = { role: 'partner', keyId: null, keyName: 'partner' };
const READ = { include: {} };

/** mulberry32: small, seeded, good enough to pick operations. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof random>;

/** A partner's copy: post id -> version, kept by applying the feed's entries in order. */
class Partner {
  held = new Map<number, number>();
  private cursor: string | null = null;
  restarts = 0;

  constructor(private readonly server: TestServer) {}

  /** Another partner that holds what this one holds and continues from its cursor, on its own from here. */
  copy(): Partner {
    const other = new Partner(this.server);
    other.held = new Map(this.held);
    other.cursor = this.cursor;
    return other;
  }

  /** One page; an expired cursor starts over, as the error tells partners to. */
  async page(first: number): Promise<ChangePage> {
    let page: ChangePage;
    try {
      page = await this.server.services.changes.page(PARTNER, { after: this.cursor, first }, READ);
    } catch (error) {
      if (!(error instanceof KijiError && error.details.reason === 'SYNC_CURSOR_EXPIRED')) throw error;
      this.restarts++;
      this.held.clear();
      this.cursor = null;
      page = await this.server.services.changes.page(PARTNER, { after: null, first }, READ);
    }
    for (const entry of page.entries) {
      if (entry.kind === 'UPSERT') {
        expect(entry.post?.id).toBe(entry.postId);
        expect(entry.post?.version).toBe(entry.version);
        this.held.set(entry.postId, entry.version);
      } else {
        expect(entry.post).toBeNull();
        this.held.delete(entry.postId);
      }
    }
    this.cursor = page.cursor;
    return page;
  }

  /** Pages until `hasMore` is false; a page that is empty while more is promised waits a moment (a transaction elsewhere on the server). */
  async syncToEnd(first: number): Promise<number> {
    for (let pages = 1; pages < 5000; pages++) {
      const page = await this.page(first);
      if (!page.hasMore) return pages;
      if (page.entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the feed never said hasMore: false');
  }
}

/** What an anonymous reader sees now, by the rule written out once more, independently: id -> version. */
async function visiblePosts(server: TestServer): Promise<Map<number, number>> {
  const rows: { id: number; version: number; status: string; publishedAt: unknown; deletedAt: unknown }[] = await server.dataSource.query(
    'SELECT id, version, status, "publishedAt", "deletedAt" FROM posts',
  );
  const now = server.clock.now().getTime();
  const time = (value: unknown) => (value instanceof Date ? value.getTime() : Date.parse(`${String(value).replace(' ', 'T')}Z`));
  return new Map(
    rows.filter((r) => r.status === 'published' && r.deletedAt == null && r.publishedAt != null && time(r.publishedAt) <= now).map((r) => [Number(r.id), Number(r.version)]),
  );
}

/** The writes a history picks from; each may be refused (a stale version, a slug taken), which is part of the game. */
class World {
  private files: string[] = [];
  private fileVersion = 0;

  constructor(
    private readonly server: TestServer,
    private readonly rng: Random,
    private readonly folder: string,
  ) {
    for (let i = 0; i < 4; i++) this.files.push(path.join(folder, `2024-0${i + 1}-0${i + 1}-imported-${i}.md`));
  }

  private get writer() {
    return this.server.services.writer;
  }

  private async posts(): Promise<Post[]> {
    return this.server.dataSource.query('SELECT id, version, slug FROM posts ORDER BY id');
  }

  private async anyPost(): Promise<Post | null> {
    const posts = await this.posts();
    return posts.length ? this.rng.pick(posts) : null;
  }

  private minutes(n: number): Date {
    return new Date(this.server.clock.now().getTime() + n * 60_000);
  }

  /** One random operation, named for the failure message. */
  async operation(): Promise<string> {
    const rng = this.rng;
    const post = await this.anyPost();
    const kind = rng.pick(['create', 'create', 'edit', 'edit', 'publish', 'publish', 'schedule', 'unpublish', 'delete', 'restore', 'revision', 'reimport', 'clock']);
    const id = post ? Number(post.id) : 0;
    const version = post ? Number(post.version) : 0;
    // A stale version now and then: refused with CONFLICT, changing nothing.
    const seen = rng.chance(0.1) ? version - 1 : version;
    try {
      switch (kind) {
        case 'create': {
          const created = await this.writer.create(EDITOR, {
            title: `Post ${rng.int(1e6)}`,
            bodyMarkdown: 'Body.',
            author: 'a',
            tags: [rng.pick(['x', 'y'])],
            categories: [],
          });
          if (rng.chance(0.6)) await this.writer.publish(EDITOR, created.id, rng.chance(0.3) ? this.minutes(rng.int(120)) : null);
          break;
        }
        case 'edit':
          if (post)
            await this.writer.update(
              EDITOR,
              id,
              seen,
              rng.pick([{ title: `Edited ${rng.int(1e6)}` }, { bodyMarkdown: `New body ${rng.int(1e6)}.` }, { tags: ['z'] }, { slug: `slug-${rng.int(1e6)}` }]),
            );
          break;
        case 'publish':
          if (post) await this.writer.publish(EDITOR, id, rng.chance(0.2) ? this.minutes(-rng.int(1000)) : null);
          break;
        case 'schedule':
          if (post) await this.writer.publish(EDITOR, id, this.minutes(1 + rng.int(180)));
          break;
        case 'unpublish':
          if (post) await this.writer.unpublish(EDITOR, id, seen);
          break;
        case 'delete':
          if (post) await this.writer.delete(EDITOR, id, seen);
          break;
        case 'restore':
          if (post) await this.writer.restore(EDITOR, id);
          break;
        case 'revision': {
          if (!post) break;
          const revisions = (await this.server.services.revisions.pagesFor([id], { first: 20 })).get(id)?.rows ?? [];
          if (revisions.length) await this.writer.restoreRevision(EDITOR, id, rng.pick(revisions).id, seen);
          break;
        }
        case 'reimport':
          await this.reimport();
          break;
        case 'clock':
          this.server.clock.set(this.minutes(rng.int(90)));
          break;
      }
    } catch (error) {
      if (!(error instanceof KijiError)) throw error;
    }
    return kind;
  }

  /** Rewrites some of the folder's files (published, draft, dated in the future, or gone) and imports the folder. */
  private async reimport(): Promise<void> {
    for (const file of this.files) {
      if (!this.rng.chance(0.5)) continue;
      const state = this.rng.pick(['published', 'draft', 'future', 'edited']);
      const date = state === 'future' ? this.minutes(1 + this.rng.int(120)) : new Date('2024-01-01T00:00:00Z');
      const text = [
        '---',
        `title: Imported ${path.basename(file)} ${state === 'edited' ? ++this.fileVersion : ''}`,
        `date: ${date.toISOString()}`,
        state === 'draft' ? 'published: false' : 'published: true',
        'tags: [imported]',
        '---',
        '',
        `Imported body, version ${this.fileVersion}.`,
        '',
      ].join('\n');
      fs.writeFileSync(file, text);
    }
    if (fs.readdirSync(this.folder).length) await this.server.importer.importPaths([this.folder]);
  }
}

describeEachDatabase('delta sync, random histories', (kind) => {
  it(`a partner always ends with exactly the visible posts at their versions (seed ${SEED})`, async () => {
    const batches = Math.ceil(HISTORIES / PER_DATABASE);
    const rng = random(SEED + (kind === 'postgres' ? 1 : 0));
    let operations = 0;
    let checks = 0;
    let restarts = 0;
    let expiries = 0;
    for (let batch = 0; batch < batches; batch++) {
      const server = await startTestServer(kind, { now: TEST_NOW });
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-sync-'));
      const world = new World(server, rng, folder);
      const log: string[] = [];
      try {
        for (let history = 0; history < Math.min(PER_DATABASE, HISTORIES - batch * PER_DATABASE); history++) {
          const partner = new Partner(server);
          // The partner that paged beside `partner` in the last concurrent step, from the same cursor: it is checked too.
          let follower: Partner | null = null;
          const first = () => rng.pick([1, 2, 3, 5, 10, 100]);
          const check = async (when: string) => {
            for (const [who, p] of [
              ['partner', partner],
              ['follower', follower],
            ] as const) {
              if (!p) continue;
              await p.syncToEnd(first());
              const expected = await visiblePosts(server);
              if (JSON.stringify([...p.held].sort((a, b) => a[0] - b[0])) !== JSON.stringify([...expected].sort((a, b) => a[0] - b[0]))) {
                throw new Error(
                  `seed ${SEED} [${kind}] batch ${batch} history ${history} ${when}: the ${who} holds ${JSON.stringify([...p.held])}, ` +
                    `visible are ${JSON.stringify([...expected])}; operations: ${log.slice(-30).join(', ')}`,
                );
              }
            }
            checks++;
          };
          // Sometimes the partner joins before anything happens, sometimes part-way.
          if (rng.chance(0.5)) await partner.page(first());
          const steps = 3 + rng.int(6);
          for (let step = 0; step < steps; step++) {
            const roll = rng.next();
            if (roll < 0.5) {
              log.push(await world.operation());
            } else if (roll < 0.7) {
              // Concurrent writes, with two partners paging in the middle of them, each its own copy and cursor
              // (one partner's two pages at once would apply two answers to one copy in any order).
              follower = partner.copy();
              const writes = Array.from({ length: 2 + rng.int(3) }, () => world.operation());
              const syncs = [partner.page(first()), follower.page(first())];
              const [done, ...paged] = await Promise.allSettled([Promise.all(writes), ...syncs]);
              if (done.status === 'fulfilled') log.push(`concurrently[${done.value.join(' ')}]`);
              // Every failure counts: a write that broke, a page refused, an entry that failed its expectations.
              for (const result of [done, ...paged]) if (result.status === 'rejected') throw result.reason;
            } else if (roll < 0.8) {
              await partner.page(first());
            } else if (roll < 0.9) {
              await check(`after step ${step}`);
            } else {
              // Compaction: dropping superseded rows changes nothing a partner ends with; a retention may expire cursors.
              const retain = rng.chance(0.5) ? 0 : undefined;
              // A minute on, the latest writes are older than the retention too: partners behind them expire.
              if (retain === 0) server.clock.set(new Date(server.clock.now().getTime() + 60_000));
              if ((await server.services.syncLog.compact(retain)).expired > 0) expiries++;
              log.push(retain === undefined ? 'compact' : 'compact --retain-days 0');
            }
            operations++;
          }
          await check('at the end');
          restarts += partner.restarts;
        }
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
        await server.stop();
      }
    }
    process.stdout.write(
      `delta sync property [${kind}]: seed ${SEED}, ${HISTORIES} histories, ${operations} steps, ${checks} checks, ${expiries} compactions that expired cursors, ${restarts} partners restarting after expiry\n`,
    );
    expect(checks).toBeGreaterThanOrEqual(HISTORIES);
  }, 300_000);
});
