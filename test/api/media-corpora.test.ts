import fs from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';
import { CORPORA } from '../support/shared';

/*
 * Cover images and body media over the real corpora in ../shared: 18F's posts name their cover
 * image in the front matter (`image:`, some with `image_alt:`); vim-jp's and Jekyll's bodies link
 * images by root-relative paths. With KIJI_SITE_URL set, an app must get absolute URLs for all.
 * The counts are recomputed from the files, read here line by line (some of 18F's front matter is
 * not valid YAML, which Kiji's reader repairs): top-level keys, quoted or block scalars.
 */

const SITE = 'https://corpora.example.org/site';

const present = Object.values(CORPORA).every((dir) => fs.existsSync(dir));
if (!present) process.stderr.write(`[kiji] the shared corpora (${Object.values(CORPORA).join(', ')}) are absent: media on the corpora is SKIPPED\n`);
const describeWithCorpora = present ? describe : describe.skip;

/** Every article file below `dir`; none when the corpora are absent (a skipped describe still runs its body). */
function articleFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? articleFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.(md|markdown|txt)$/.test(f));
}

/** The `image` and `image_alt` keys of a file's front matter: a scalar, a block scalar, or a map of scalars. */
function frontMatterOf(file: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(fs.readFileSync(file, 'utf8'));
  const lines = match ? match[1].split(/\r?\n/) : [];
  const out: Record<string, unknown> = {};
  for (const key of ['image', 'image_alt']) {
    const at = lines.findIndex((line) => line.startsWith(`${key}:`));
    if (at < 0) continue;
    const rest = lines[at].slice(key.length + 1).trim();
    const nested: string[] = [];
    for (let i = at + 1; i < lines.length && /^\s+\S/.test(lines[i]); i++) nested.push(lines[i].trim());
    if (rest && !/^[|>][-+]?$/.test(rest)) out[key] = unquote(rest);
    else if (rest) out[key] = nested.join(' ');
    else if (nested.length && nested.every((l) => /^\w+:/.test(l)))
      out[key] = Object.fromEntries(nested.map((l) => [l.slice(0, l.indexOf(':')), unquote(l.slice(l.indexOf(':') + 1).trim())]));
    else out[key] = null;
  }
  return out;
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}

const oneLine = (value: unknown) => (typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '');

/** The image a front matter names (a string, or an object's path/url), and its alt text; empty when none. */
function declaredImage(fm: Record<string, unknown>): { src: string; alt: string } {
  const image = fm.image;
  if (image && typeof image === 'object') {
    const o = image as Record<string, unknown>;
    return { src: oneLine(o.path ?? o.feature ?? o.url ?? o.src), alt: oneLine(o.alt) || oneLine(fm.image_alt) };
  }
  return { src: oneLine(image), alt: oneLine(fm.image_alt) };
}

interface Node {
  slug: string;
  frontMatter: Record<string, unknown>;
  bodyHtml: string;
  coverImage: { url: string; alt: string | null } | null;
}

describeWithCorpora('cover images and body media on the shared corpora', () => {
  const files18f = articleFiles(CORPORA['18f']).map(frontMatterOf);
  const withImage = files18f.filter((fm) => 'image' in fm).length;
  const withNonEmptyImage = files18f.filter((fm) => declaredImage(fm).src).length;
  const withAlt = files18f.filter((fm) => declaredImage(fm).src && declaredImage(fm).alt).length;

  describeEachDatabase('media on the corpora', (kind) => {
    let server: TestServer;
    let posts: Node[];

    beforeAll(async () => {
      server = await startTestServer(kind, { site: { siteUrl: SITE } });
      const summary = await server.importPaths(Object.values(CORPORA));
      expect(summary.failed.map((f) => f.file)).toEqual([]);
      posts = [];
      let after: string | null = null;
      do {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query:
              'query($after: String) { posts(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { slug frontMatter bodyHtml coverImage { url alt } } } } }',
            variables: { after },
          }),
        });
        const body = (await response.json()) as { data: { posts: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Node }[] } }; errors?: unknown };
        expect(body.errors).toBeUndefined();
        posts.push(...body.data.posts.edges.map((e) => e.node));
        after = body.data.posts.pageInfo.hasNextPage ? body.data.posts.pageInfo.endCursor : null;
      } while (after);
    }, 240_000);
    afterAll(() => server?.stop());

    it("gives every 18F post with a non-empty `image:` a cover image with an absolute URL and the source's alt text", () => {
      // Only 18F's front matter has `image:` among the three corpora.
      const declared = posts.filter((p) => declaredImage(p.frontMatter).src);
      expect(declared).toHaveLength(withNonEmptyImage);
      for (const post of declared) {
        const { src, alt } = declaredImage(post.frontMatter);
        expect(post.coverImage).not.toBeNull();
        expect(post.coverImage!.url).toBe(/^https?:\/\//.test(src) ? new URL(src).href : new URL(`${SITE}${src.startsWith('/') ? '' : '/'}${src}`).href);
        expect(post.coverImage!.alt).toBe(alt || null);
      }
      const covered = posts.filter((p) => p.coverImage).length;
      process.stderr.write(
        `[${kind}] 18F: ${files18f.length} posts, ${withImage} with image:, ${withNonEmptyImage} non-empty, ${withAlt} with alt text; ` +
          `${declared.filter((p) => p.coverImage).length} of them with a coverImage, ${declared.filter((p) => p.coverImage?.alt).length} with its alt; ` +
          `all corpora: ${covered} of ${posts.length} posts with a coverImage (the rest from their bodies' first image)\n`,
      );
      expect(declared.filter((p) => p.coverImage?.alt)).toHaveLength(withAlt);
    });

    it('serves vim-jp and Jekyll bodies without root-relative image URLs', () => {
      const bodies = posts.filter((p) => !('image' in p.frontMatter));
      const withImages = bodies.filter((p) => p.bodyHtml.includes('<img'));
      expect(withImages.length).toBeGreaterThan(20);
      for (const post of bodies) expect({ slug: post.slug, rootRelative: post.bodyHtml.match(/src="\/[^"]*"/g) }).toEqual({ slug: post.slug, rootRelative: null });
      expect(withImages.map((p) => p.bodyHtml).join('\n')).toContain(`src="${SITE}/assets/images/`);
      expect(posts.map((p) => p.bodyHtml).join('\n')).toContain(`src="${SITE}/img/jekyll-sticker.png"`);
      for (const post of withImages) expect(post.bodyHtml).not.toMatch(/<img(?![^>]*loading="lazy")[^>]*>/);
    });
  });
});
