import fs from 'node:fs';
import path from 'node:path';

/** The repository root, found from this file whether it runs from `src/` (tests) or `dist/src/`. */
function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');
export const SAMPLE_CONTENT_DIR = path.join(PROJECT_ROOT, 'content', 'sample');
