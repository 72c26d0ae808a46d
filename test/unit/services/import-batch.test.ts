import fs from 'node:fs';
import path from 'node:path';
import type { Viewer } from '../../../src/services/access';
import { describeEachDatabase } from '../../support/databases';
import { writeFixtureFolder } from '../../support/fixtures';
import { startTestServer, TestServer } from '../../support/server';

/*
 * An import writes a batch's revisions, links, change log, webhook deliveries and related marks
 * once per batch, before its commit. What a user would notice is that each post that was stored
 * has all of them, and a file the database refuses in the middle of a batch has none of them,
 * while the rest of its batch is stored as if it had been written alone.
 */

const ADMIN: Viewer = { role: 'admin', keyId: null, keyName: 'test' };
const FILES = 40;
/** The file the database refuses (a trigger of the test's own), in the middle of the first batch. */
const REFUSED = 10;

const name = (i: number) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}-post-${i}.md`;
const fileOf = (i: number) =>
  `---\ntitle: ${i === REFUSED ? 'Refused' : `Post ${i}`}\ntags: [common, tag-${i % 4}]\nauthor: Author ${i % 3}\ncategories: [cat-${i % 2}]\n---\n\nBody of post ${i}, about 液浸冷却 and cooling.\n`;

describeEachDatabase('an import batch', (kind) => {
  let server: TestServer;
  let dir: string;
  const count = async (sql: string): Promise<number> => Number((await server.dataSource.query<{ n: unknown }[]>(sql))[0].n);

  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.services.webhooks.create(ADMIN, 'https://example.com/hooks/all', ['post.published']);
    // A write the database refuses, as a constraint or a full disk would, in the middle of a batch.
    if (kind === 'postgres') {
      await server.dataSource.query(
        `CREATE FUNCTION refuse_post() RETURNS trigger AS $$ BEGIN IF NEW.title = 'Refused' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await server.dataSource.query('CREATE TRIGGER refuse_post BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION refuse_post()');
    } else {
      await server.dataSource.query(`CREATE TRIGGER refuse_post BEFORE INSERT ON posts WHEN NEW.title = 'Refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    }
    dir = writeFixtureFolder(Object.fromEntries(Array.from({ length: FILES }, (_, i) => [name(i), fileOf(i)])));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  });

  it('stores every other file with its revision, links, change log row and deliveries, and reports the refused one', async () => {
    const summary = await server.importPaths([dir]);
    expect(summary.imported).toBe(FILES - 1);
    expect(summary.failed).toHaveLength(1);
    expect(path.basename(summary.failed[0].file)).toBe(name(REFUSED));
    expect(summary.failed[0].message).toContain('refused by the test');

    expect(await count('SELECT COUNT(*) AS n FROM posts')).toBe(FILES - 1);
    expect(await count('SELECT COUNT(*) AS n FROM post_revisions')).toBe(FILES - 1);
    expect(await count('SELECT COUNT(DISTINCT "postId") AS n FROM post_revisions')).toBe(FILES - 1);
    expect(await count('SELECT COUNT(*) AS n FROM sync_log')).toBe(FILES - 1);
    expect(await count('SELECT COUNT(*) AS n FROM webhook_deliveries')).toBe(FILES - 1);
    expect(await count('SELECT COUNT(*) AS n FROM post_authors')).toBe(FILES - 1);
    expect(await count('SELECT COUNT(*) AS n FROM post_tags')).toBe(2 * (FILES - 1));
    expect(await count('SELECT COUNT(*) AS n FROM related_pending')).toBe(0);
    // Every revision, change log row and link is of a post that exists (the refused file left none).
    expect(await count('SELECT COUNT(*) AS n FROM post_revisions r LEFT JOIN posts p ON p.id = r."postId" WHERE p.id IS NULL')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM sync_log s LEFT JOIN posts p ON p.id = s."postId" WHERE p.id IS NULL')).toBe(0);
    // The search index's count of posts, and each term page's count, are those of the stored posts.
    expect(await count(`SELECT df AS n FROM term_stats WHERE term = ''`)).toBe(FILES - 1);
    const common = await server.client.query<{ tag: { postCount: number } | null }>('{ tag(slug: "common") { postCount } }', {}).toPromise();
    expect(common.data?.tag?.postCount).toBe(FILES - 1);
    const listed = await count(`SELECT "listedCount" AS n FROM tags WHERE slug = 'tag-${REFUSED % 4}'`);
    expect(listed).toBe(await count(`SELECT COUNT(*) AS n FROM post_tags l JOIN tags t ON t.id = l."tagId" WHERE t.slug = 'tag-${REFUSED % 4}'`));
  });

  it('stores the refused file once the database takes it, and finds the others unchanged', async () => {
    await server.dataSource.query(kind === 'postgres' ? 'DROP TRIGGER refuse_post ON posts' : 'DROP TRIGGER refuse_post');
    const summary = await server.importPaths([dir]);
    expect(summary).toMatchObject({ imported: 1, unchanged: FILES - 1, failed: [] });
    expect(await count('SELECT COUNT(*) AS n FROM post_revisions')).toBe(FILES);
    expect(await count('SELECT COUNT(*) AS n FROM sync_log')).toBe(FILES);
    expect(await count('SELECT COUNT(*) AS n FROM webhook_deliveries')).toBe(FILES);
    expect(await count(`SELECT df AS n FROM term_stats WHERE term = ''`)).toBe(FILES);
  });
});

/*
 * A site with hundreds of webhook endpoints: a batch's deliveries (its events times every
 * subscribed endpoint, 8 values each) are more than one statement may carry. They must still
 * go in with the batch, not make it fall back to a transaction per file.
 */
describeEachDatabase('an import batch on a site with many webhook endpoints', (kind) => {
  const ENDPOINTS = 260;
  const BATCH = 32;
  let server: TestServer;
  let dir: string;
  const generation = async (): Promise<number> => Number((await server.dataSource.query<{ g: unknown }[]>('SELECT generation AS g FROM content_state WHERE id = 1'))[0].g);

  beforeAll(async () => {
    server = await startTestServer(kind);
    for (let i = 0; i < ENDPOINTS; i++) await server.services.webhooks.create(ADMIN, `https://example.com/hooks/${i}`, ['post.published']);
    dir = writeFixtureFolder(Object.fromEntries(Array.from({ length: BATCH }, (_, i) => [name(i), fileOf(i + 1)])));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  });

  it('writes every delivery in the one transaction of the batch', async () => {
    const before = await generation();
    const summary = await server.importPaths([dir]);
    expect(summary).toMatchObject({ imported: BATCH, failed: [] });
    expect(Number((await server.dataSource.query<{ n: unknown }[]>('SELECT COUNT(*) AS n FROM webhook_deliveries'))[0].n)).toBe(BATCH * ENDPOINTS);
    // The batch's commit and the related lists settled after it: a batch that fell back to a
    // transaction per file would have moved it once per file.
    expect((await generation()) - before).toBe(2);
  });
});
