import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { createTestDatabase, describeEachDatabaseIf, testRedisUrl, TestDatabase, databaseUrlOf } from '../support/databases';
import { KIJI_MAIN, KijiProcess, startKiji } from '../support/kiji-process';

/*
 * Two Kiji deployments on one database (and, for the shared cache, one Redis): a single-process
 * `kiji serve` and a `kiji serve --workers 2`, as real processes, with the response cache on.
 * Writes go alternately through each, and every write is read at once through both, on new
 * connections (so through both workers of the second): a read never shows what was there before a
 * write that has returned. The in-process caches are warmed before every write, so a stale entry
 * would be there to be served. (caching.test.ts shows one write across two in-test instances.)
 */

const WRITES = 20;
const ARTICLE = 'query Article($slug: String!) { post(slug: $slug) { slug title } }';
const UPDATE = 'mutation Update($id: ID!, $v: Int!, $title: String!) { updatePost(id: $id, expectedVersion: $v, input: { title: $title }) { version title } }';

interface Answer {
  status: number;
  body: { data?: Record<string, { title?: string; version?: number; id?: string } | null>; errors?: unknown[] };
  cache: string | undefined;
}

/** A GraphQL POST on a connection of its own (a new client: the next worker takes it). */
function postFresh(url: string, query: string, variables: object, authorization?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = `Bearer ${authorization}`;
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: false, headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Answer['body'], cache: res.headers['x-kiji-cache'] as string | undefined }));
    });
    request.on('error', reject);
    request.end(JSON.stringify({ query, variables }));
  });
}

function createEditorKey(databaseUrl: string): string {
  const result = spawnSync(process.execPath, [KIJI_MAIN, 'keys', 'create', '--role', 'editor', '--name', 'soak', '--json'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`keys create failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { key: string }).key;
}

for (const backend of ['memory', 'redis'] as const) {
  const redisUrl = backend === 'redis' ? testRedisUrl() : null;
  describeEachDatabaseIf(backend === 'memory' || redisUrl !== null, `two instances, one of them on two workers (response cache: ${backend})`, (kind) => {
    let database: TestDatabase;
    let single: KijiProcess;
    let workers: KijiProcess;
    let editor: string;

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      const url = databaseUrlOf(database);
      const env: Record<string, string> = {
        DATABASE_URL: url,
        KIJI_RESPONSE_CACHE: backend,
        KIJI_CACHE_NAMESPACE: `kiji-two-${crypto.randomBytes(6).toString('hex')}`,
        KIJI_RATE_LIMIT_ANONYMOUS: '0',
        KIJI_RATE_LIMIT_EDITOR: '0',
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      };
      // One after the other: the first migrates the new database.
      single = await startKiji('serve', env, 120_000);
      workers = await startKiji('serve', { ...env, KIJI_WORKERS: '2' }, 120_000);
      editor = createEditorKey(url);
    }, 300_000);
    afterAll(async () => {
      await single?.kill();
      await workers?.kill();
      await database?.drop();
    });

    it('never answers a read with what was there before a write through the other instance', async () => {
      const created = await postFresh(
        single.graphql,
        'mutation Create($input: PostInput!) { createPost(input: $input) { id version } }',
        { input: { title: 'Soak 0', bodyMarkdown: 'Read after every write.', author: 'ed', tags: [], categories: [] } },
        editor,
      );
      const id = created.body.data!.createPost!.id!;
      const published = await postFresh(single.graphql, 'mutation Publish($id: ID!) { publishPost(id: $id) { version } }', { id }, editor);
      let version = published.body.data!.publishPost!.version!;
      const instances = [single, workers];
      const readEverywhere = () => Promise.all([single, workers, workers].map((instance) => postFresh(instance.graphql, ARTICLE, { slug: 'soak-0' })));
      const caches: string[] = [];
      for (let i = 1; i <= WRITES; i += 1) {
        // Warm: each instance, and each worker, has the current answer cached before the write.
        for (let warm = 0; warm < 2; warm += 1) caches.push(...(await readEverywhere()).map((read) => read.cache ?? 'none'));
        const through = instances[i % 2];
        const written = await postFresh(through.graphql, UPDATE, { id, v: version, title: `Soak ${i}` }, editor);
        expect(written.body.errors).toBeUndefined();
        version = written.body.data!.updatePost!.version!;
        const reads = await readEverywhere();
        expect(reads.map((read) => read.body.data?.post?.title)).toEqual([`Soak ${i}`, `Soak ${i}`, `Soak ${i}`]);
      }
      // The cache was on and answering: reads between writes came from it.
      expect(caches.filter((cache) => cache === 'hit').length).toBeGreaterThan(WRITES);
    }, 180_000);
  });
}
