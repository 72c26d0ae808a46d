import fs from 'node:fs';
import path from 'node:path';
import type { ContentIssue } from '../../content';
import { readSiteConfig, SITE_CONFIG_FILE } from '../../content/siteConfig';
import { KijiError } from '../shared';

export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.txt'];

/**
 * Expands files and folders into the article files under them, in path order (the order that
 * decides which of two files claiming one slug keeps it). A path that does not exist is the
 * caller's mistake, reported before anything is imported.
 */
export function listArticleFiles(paths: string[]): string[] {
  const found: string[] = [];
  const walk = (entry: string) => {
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(entry).sort()) {
        if (name.startsWith('.') || name === 'node_modules') continue;
        walk(path.join(entry, name));
      }
    } else if (ARTICLE_EXTENSIONS.includes(path.extname(entry).toLowerCase())) {
      found.push(entry);
    }
  };
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new KijiError('BAD_USER_INPUT', `${p}: no such file or folder`);
    if (fs.statSync(p).isFile() && !ARTICLE_EXTENSIONS.includes(path.extname(p).toLowerCase())) {
      throw new KijiError('BAD_USER_INPUT', `${p}: not an article file (expected ${ARTICLE_EXTENSIONS.join(', ')})`);
    }
    walk(p);
  }
  return [...new Set(found.map((f) => path.resolve(f)))].sort();
}

/** How a file is named in the database and in messages: relative to the working directory, with `/`. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, path.resolve(file));
  return (relative.startsWith('..') ? path.resolve(file) : relative).split(path.sep).join('/');
}

/**
 * The time zone of each folder given that is a Jekyll site root (has a `_config.yml` with
 * `timezone`), as Jekyll reads the dates under it; a file under none of them gets undefined.
 */
export function readSiteTimeZones(paths: string[]): { zoneOf(file: string): string | undefined; issues: ContentIssue[] } {
  const roots: { dir: string; timeZone: string }[] = [];
  const issues: ContentIssue[] = [];
  for (const p of paths) {
    const config = path.join(p, SITE_CONFIG_FILE);
    if (!fs.existsSync(p) || !fs.statSync(p).isDirectory() || !fs.existsSync(config)) continue;
    const site = readSiteConfig(displayPath(config), fs.readFileSync(config, 'utf8'));
    issues.push(...site.issues);
    if (site.timeZone) roots.push({ dir: path.resolve(p) + path.sep, timeZone: site.timeZone });
  }
  // The innermost root wins when one folder given lies inside another.
  roots.sort((a, b) => b.dir.length - a.dir.length);
  return { zoneOf: (file) => roots.find((r) => path.resolve(file).startsWith(r.dir))?.timeZone, issues };
}
