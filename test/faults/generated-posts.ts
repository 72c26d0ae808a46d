import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prng } from '../bench/common';

/**
 * A folder of `count` Markdown posts, generated from a seed: topics with their own vocabulary,
 * tags and categories, so that related lists are long and varied (every post has neighbours,
 * some far more than STORED_NEIGHBOURS), and a few drafts. Same seed, same files.
 */
export function writeGeneratedPosts(count: number, seed = 11): string {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const common = 'the a of to and in for with on as by from this that is are was be it at or an not can we our their'.split(' ');
  const syllables = ['ka', 'lo', 'mi', 're', 'tu', 'san', 've', 'dor', 'pi', 'nax', 'qu', 'bel', 'sor', 'fin', 'gat', 'hum'];
  const word = () => Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join('');
  const topics = Array.from({ length: 24 }, (_, t) => ({
    words: Array.from({ length: 40 }, word),
    tags: Array.from({ length: 5 }, (_, k) => `topic${t}-tag${k}`),
    category: `category-${t % 7}`,
  }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-generated-'));
  for (let i = 0; i < count; i++) {
    const topic = pick(topics);
    const other = pick(topics);
    const body = Array.from({ length: 60 + Math.floor(random() * 90) }, () => {
      const r = random();
      return r < 0.45 ? pick(topic.words) : r < 0.6 ? pick(other.words) : pick(common);
    });
    const paragraphs = [body.slice(0, 40), body.slice(40)].map((p) => p.join(' ') + '.').join('\n\n');
    const tags = [...new Set([pick(topic.tags), pick(topic.tags), ...(random() < 0.3 ? [pick(other.tags)] : [])])];
    const date = new Date(Date.UTC(2019, 0, 1) + i * 3 * 86_400_000 + Math.floor(random() * 86_400_000));
    const day = date.toISOString().slice(0, 10);
    const front = [
      '---',
      `title: Post ${i} on ${topic.words[0]} and ${other.words[1]}`,
      `date: ${date.toISOString().replace('T', ' ').slice(0, 19)} +0000`,
      `tags: [${tags.join(', ')}]`,
      `categories: [${topic.category}]`,
      ...(i % 29 === 5 ? ['draft: true'] : []),
      '---',
    ];
    fs.writeFileSync(path.join(dir, `${day}-post-${String(i).padStart(4, '0')}.md`), `${front.join('\n')}\n\n${paragraphs}\n`);
  }
  return dir;
}
