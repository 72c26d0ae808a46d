import path from 'node:path';

/**
 * A file's path from the folder given to `kiji import` that holds it (the innermost one), that
 * folder's own name included, with `/`: what tells a page from a post (`pages/about.md`,
 * `_posts/…`). The folder's name counts, so `kiji import site/pages` imports pages and
 * `kiji import site/_posts` posts, as importing `site` would; folders above it say nothing. A
 * file given by itself is just its name.
 */
export function pathBelowRoot(file: string, roots: readonly string[]): string {
  const resolved = path.resolve(file);
  let best: string | null = null;
  for (const root of roots) {
    const dir = path.resolve(root);
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    if (resolved.startsWith(prefix) && (best === null || dir.length > best.length)) best = dir;
  }
  if (best === null) return path.basename(resolved);
  // The file system's root has no name: the path below it is all there is.
  const below = path.relative(best, resolved);
  const name = path.basename(best);
  return (name ? path.join(name, below) : below).split(path.sep).join('/');
}
