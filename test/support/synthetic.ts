import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes `count` small posts into a temp folder: deterministic authors, tags and categories
 * spread over them, one post a day. For tests that need more posts than the sample content has.
 */
export function writeSyntheticPosts(count: number, options: { authors?: number; tags?: number } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-synthetic-'));
  const authors = options.authors ?? 7;
  const tags = options.tags ?? 11;
  for (let i = 1; i <= count; i++) {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const postTags = [`topic-${i % tags}`, `topic-${(i * 3) % tags}`, `series-${i % 3}`];
    const text = [
      '---',
      `title: "Synthetic post ${i}"`,
      `date: ${day} 12:00:00 +0000`,
      `author: writer-${i % authors}`,
      `tags: [${[...new Set(postTags)].join(', ')}]`,
      `categories: [section-${i % 4}]`,
      '---',
      '',
      `## Part one of ${i}`,
      '',
      `This is synthetic post number ${i}. It exists so that pages of many posts can be measured.`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, `${day}-synthetic-${i}.md`), text);
  }
  return dir;
}
