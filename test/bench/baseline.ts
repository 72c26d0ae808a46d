/**
 * The raw baseline: node:http + pg, one SQL statement per request, the JSON built by PostgreSQL
 * (json_agg / json_build_object) over Kiji's own schema and shaped like Kiji's answer. It is the
 * practical ceiling a GraphQL server on this machine can be compared with. It does not parse
 * GraphQL: the operation is told apart by its name, the variables are taken as they come.
 *
 *   DATABASE_URL=postgres://… PORT=… node dist/test/bench/baseline.js
 */
import { createServer, ServerResponse } from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 10),
  connectionTimeoutMillis: 5000,
  statement_timeout: 10000,
});

/** Visible to anonymous readers: the same rule as Kiji's (timestamps are UTC without zone). */
const VISIBLE = (p: string) => `${p}.status = 'published' AND ${p}."deletedAt" IS NULL AND ${p}."publishedAt" <= (now() AT TIME ZONE 'UTC')`;
const ISO = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const AUTHOR = (p: string, fields: string) => `(SELECT json_build_object(${fields}) FROM post_authors pa JOIN authors a ON a.id = pa."authorId"
    WHERE pa."postId" = ${p}.id ORDER BY pa.position LIMIT 1)`;
const TAGS = (p: string) => `(SELECT coalesce(json_agg(json_build_object('name', t.name, 'slug', t.slug) ORDER BY pt.position), '[]')
    FROM post_tags pt JOIN tags t ON t.id = pt."tagId" WHERE pt."postId" = ${p}.id)`;

// A literal LIMIT lets PostgreSQL keep one generic plan for the prepared statement.
export const FEED_SQL = `SELECT json_build_object('data', json_build_object('posts', json_build_object('edges',
    coalesce(json_agg(json_build_object('node', x) ORDER BY x."publishedAt" DESC), '[]'))))::text AS j
  FROM (
    SELECT p.slug, p.title, p.excerpt, ${ISO('p."publishedAt"')} AS "publishedAt", '/posts/' || p.slug AS url,
           ${AUTHOR('p', `'name', a.name, 'slug', a.slug`)} AS author, ${TAGS('p')} AS tags
      FROM posts p WHERE ${VISIBLE('p')}
     ORDER BY p."publishedAt" DESC, p.id DESC LIMIT 20) x`;

export const ARTICLE_SQL = `SELECT json_build_object('data', json_build_object('post', (
    SELECT json_build_object(
      'slug', p.slug, 'title', p.title, 'bodyHtml', p."bodyHtml", 'publishedAt', ${ISO('p."publishedAt"')},
      'readingTimeMinutes', p."readingTimeMinutes",
      'author', ${AUTHOR('p', `'name', a.name, 'slug', a.slug, 'bio', a.bio`)},
      'tags', ${TAGS('p')},
      'related', (SELECT coalesce(json_agg(json_build_object('score', r.score, 'post', json_build_object('slug', r.slug, 'title', r.title)) ORDER BY r.score DESC, r.id), '[]')
         FROM (SELECT q.id, q.slug, q.title, rp.score FROM related_posts rp JOIN posts q ON q.id = rp."relatedId"
                WHERE rp."postId" = p.id AND ${VISIBLE('q')} ORDER BY rp.score DESC, q.id LIMIT 5) r))
    FROM posts p WHERE p.slug = $1 AND ${VISIBLE('p')})))::text AS j`;

/** A tag or author page: the term, its visible post count, and its 20 newest posts. */
function termPageSql(kind: 'tag' | 'author'): string {
  const [terms, links, column, extra] = kind === 'tag' ? ['tags', 'post_tags', 'tagId', ''] : ['authors', 'post_authors', 'authorId', `'bio', t.bio, `];
  return `SELECT json_build_object('data', json_build_object('${kind}', (
    SELECT json_build_object('name', t.name, 'slug', t.slug, ${extra}'postCount', c.n, 'posts', json_build_object('totalCount', c.n, 'edges',
      (SELECT coalesce(json_agg(json_build_object('node', x) ORDER BY x."publishedAt" DESC), '[]') FROM (
         SELECT p.slug, p.title, p.excerpt, ${ISO('p."publishedAt"')} AS "publishedAt", '/posts/' || p.slug AS url,
                ${AUTHOR('p', `'name', a.name, 'slug', a.slug`)} AS author, ${TAGS('p')} AS tags
           FROM ${links} l JOIN posts p ON p.id = l."postId" WHERE l."${column}" = t.id AND ${VISIBLE('p')}
          ORDER BY p."publishedAt" DESC, p.id DESC LIMIT 20) x)))
    FROM ${terms} t CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM ${links} l JOIN posts p ON p.id = l."postId"
                                         WHERE l."${column}" = t.id AND ${VISIBLE('p')}) c
    WHERE t.slug = $1)))::text AS j`;
}
export const TAG_SQL = termPageSql('tag');
export const AUTHOR_SQL = termPageSql('author');

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-kiji-sql-statements': '1' });
  res.end(body);
}

/** The prepared statement for each operation the baseline answers, and whether it takes the `slug` variable. */
const STATEMENTS = new Map([
  ['Feed', { name: 'feed', text: FEED_SQL, bySlug: false }],
  ['Article', { name: 'article', text: ARTICLE_SQL, bySlug: true }],
  ['TagPage', { name: 'tag', text: TAG_SQL, bySlug: true }],
  ['AuthorPage', { name: 'author', text: AUTHOR_SQL, bySlug: true }],
]);

/** Answers one request body; never rejects (a failure is a JSON 500). */
async function answer(res: ServerResponse, body: Buffer): Promise<void> {
  try {
    const { query = '', variables = {} } = JSON.parse(body.toString('utf8')) as { query?: string; variables?: Record<string, unknown> };
    const statement = STATEMENTS.get(/\bquery\s+(\w+)/.exec(query)?.[1] ?? '');
    if (!statement) return send(res, 400, '{"errors":[{"message":"the baseline answers only Feed, Article, TagPage and AuthorPage"}]}');
    const { name, text, bySlug } = statement;
    const r = await pool.query<{ j: string }>({ name, text, values: bySlug ? [String(variables.slug)] : undefined });
    send(res, 200, r.rows[0].j);
  } catch (e) {
    send(res, 500, JSON.stringify({ errors: [{ message: String((e as Error).message) }] }));
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, '{"status":"ok"}');
  if (req.method !== 'POST') return send(res, 405, '{"errors":[{"message":"POST only"}]}');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => void answer(res, Buffer.concat(chunks)));
});
server.keepAliveTimeout = 65_000;
const port = Number(process.env.PORT ?? 5679);
server.listen(port, '127.0.0.1', () => process.stdout.write(`baseline listening on ${port} pid ${process.pid}\n`));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  });
}
