import fs from 'node:fs';
import path from 'node:path';
import { Post } from '../../src/entities';
import { displayPath } from '../../src/services/import';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';
import { CORPORA, describeWithShared } from '../support/shared';

/*
 * Every `redirect_from` path of the three real corpora (18F, vim-jp, Jekyll) leads, through
 * `redirect(path:)` over HTTP, to the post imported from the file that lists it. The paths are
 * read from the files here, line by line, without Kiji's front-matter reader (several 18F front
 * matters are YAML only by Jekyll's lenient reading).
 */

const SITE = 'https://example.com';

function articleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? articleFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.(md|markdown|txt)$/.test(f));
}

/** The `redirect_from` entries of a file's front matter: the key's own value, or the `- item` lines under it. */
function redirectFromOf(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0].trim() !== '---') return [];
  const entries: string[] = [];
  let inside = false;
  for (const line of lines.slice(1)) {
    if (/^(---|\.\.\.)\s*$/.test(line)) break;
    const key = /^redirect_from\s*:\s*(.*)$/.exec(line);
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (key) {
      inside = true;
      if (key[1].trim()) entries.push(key[1].trim());
    } else if (inside && item) {
      entries.push(item[1].trim());
    } else if (line.trim()) {
      inside = false;
    }
  }
  return entries.map((entry) => entry.replace(/^(['"])(.*)\1$/, '$2'));
}

const REDIRECTS = Object.fromEntries(
  Object.entries(CORPORA).map(([name, dir]) => [
    name,
    fs.existsSync(dir) ? articleFiles(dir).flatMap((file) => redirectFromOf(fs.readFileSync(file, 'utf8')).map((from) => ({ file, from }))) : [],
  ]),
) as Record<keyof typeof CORPORA, { file: string; from: string }[]>;

describeWithShared('redirect_from of the shared corpora', () => {
  describeEachDatabase('redirects on the corpora', (kind) => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startTestServer(kind, { site: { siteUrl: SITE } });
      const summary = await server.importPaths(Object.values(CORPORA));
      expect(summary.failed).toEqual([]);
      // No path is listed twice, so none is left to another post.
      expect(summary.warnings.filter((w) => w.code.startsWith('REDIRECT_'))).toEqual([]);
    }, 180_000);
    afterAll(() => server?.stop());

    it('finds the 33 paths that 32 files list (18F 8, vim-jp 24, Jekyll 1)', () => {
      const counts = Object.fromEntries(Object.entries(REDIRECTS).map(([name, list]) => [name, list.length]));
      expect(counts).toEqual({ '18f': 8, 'vim-jp': 24, jekyll: 1 });
      expect(new Set(Object.values(REDIRECTS).flatMap((list) => list.map((r) => r.file))).size).toBe(32);
      process.stderr.write(`[${kind}] redirect_from paths: ${JSON.stringify(counts)}\n`);
    });

    it.each(Object.keys(CORPORA) as (keyof typeof CORPORA)[])('resolves every redirect_from path of %s to the post of its file', async (name) => {
      for (const { file, from } of REDIRECTS[name]) {
        const stored = await server.dataSource.getRepository(Post).findOneOrFail({ where: { sourcePath: displayPath(file) }, select: { id: true, slug: true } });
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'query($path: String!) { redirect(path: $path) { location statusCode post { slug } } }', variables: { path: from } }),
        });
        const body = (await response.json()) as { data?: { redirect: { location: string; statusCode: number; post: { slug: string } } | null }; errors?: unknown };
        expect(body.errors).toBeUndefined();
        expect({ file: path.basename(file), from, redirect: body.data!.redirect }).toEqual({
          file: path.basename(file),
          from,
          redirect: { location: `${SITE}/posts/${encodeURI(stored.slug)}`, statusCode: 301, post: { slug: stored.slug } },
        });
      }
    });
  });
});
