import fs from 'node:fs';
import path from 'node:path';
import { KijiError } from './errors';

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
