import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

/**
 * `../shared/` beside the repository holds the seed article and real corpora written by other
 * people: read at test time, never copied. Tests that need it skip, saying so, when it is absent.
 */
export const SHARED_DIR = path.resolve(PROJECT_ROOT, '..', 'shared');
export const SEED_FILE = path.join(SHARED_DIR, 'samples', '000_20020096e96e7224.txt');
export const CORPORA = {
  'vim-jp': path.join(SHARED_DIR, 'corpora', 'vim-jp.github.io', '_posts'),
  jekyll: path.join(SHARED_DIR, 'corpora', 'jekyll', 'docs', '_posts'),
  '18f': path.join(SHARED_DIR, 'corpora', '18f.gsa.gov', 'content', 'posts'),
};

export function sharedAvailable(): boolean {
  const present = fs.existsSync(SEED_FILE);
  if (!present) process.stderr.write(`[kiji] ${SHARED_DIR} is absent: tests on the seed and corpora are SKIPPED\n`);
  return present;
}

/** `describe` when ../shared is present, else `describe.skip` (with a message). */
export const describeWithShared = (title: string, body: () => void) => (sharedAvailable() ? describe : describe.skip)(title, body);
