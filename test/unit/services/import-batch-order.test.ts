import fs from 'node:fs';
import { tokenFrequencies } from '../../../src/content/searchTokens';
import { termFrequencies, tokenizePost } from '../../../src/services/search/post-tokens';
import { describeEachDatabase } from '../../support/databases';
import { writeFixtureFolder } from '../../support/fixtures';
import { startTestServer, TestServer } from '../../support/server';

/*
 * A batch of new posts is written with its posts' ids reserved at its start, their rows inserted
 * together, their new terms created before them, and the related lists rebuilt from the term
 * counts the import's tokenizing made. What a reader sees must be what writing the files one at a
 * time stores: ids and terms numbered in file order, a slug or redirect taken by the first file
 * that names it, and related lists scored as a rebuild that tokenizes every post scores them.
 */

describe('the term counts an import makes', () => {
  it('are the term frequencies the related articles weigh', () => {
    const posts = [
      { title: 'Cooling cooling', excerpt: 'x', bodyMarkdown: 'Liquid cooling and the cooling of 液浸冷却 racks.\n\n```js\ncode()\n```\n' },
      { title: '液浸冷却の話', excerpt: '', bodyMarkdown: '液浸冷却は冷却の一つ。データベースとデータ。 Vim vim VIM.' },
      { title: '', excerpt: '', bodyMarkdown: '' },
    ];
    for (const post of posts) {
      const tokens = tokenizePost(post);
      expect([...termFrequencies(tokens.terms, tokens.termCounts!)]).toEqual([...tokenFrequencies(post.title, post.bodyMarkdown)]);
    }
  });
});

const FILES: Record<string, string> = {
  '01-a.md': '---\ntitle: Same Title\ndate: 2024-01-01\ntags: [zeta, alpha]\nauthor: Ann\nredirect_from: [/old/shared]\n---\n\nLiquid cooling of racks.\n',
  '02-b.md': '---\ntitle: Same Title\ndate: 2024-01-02\ntags: [alpha, beta]\nauthor: Bob\nredirect_from: [/old/shared, /old/b]\n---\n\nLiquid cooling of servers.\n',
  '03-c.md': '---\ntitle: Other\ndate: 2024-01-03\ntags: [gamma]\n---\n\nAir cooling of servers and racks.\n',
  '04-d.md': '---\ntitle: Same Title\ndate: 2024-01-04\ntags: [beta, delta]\nauthor: ann\n---\n\nCooling racks with liquid.\n',
  '05-e.md': '---\ntitle: Draft\ntags: [epsilon]\n---\n\nNo date: a draft.\n',
};

describeEachDatabase('a batch of new posts', (kind) => {
  let server: TestServer;
  let dir: string;
  const rows = <T>(sql: string): Promise<T[]> => server.dataSource.query<T[]>(sql);

  beforeAll(async () => {
    server = await startTestServer(kind);
    dir = writeFixtureFolder(FILES);
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  });

  it('stores its posts, slugs, redirects and terms as files written one at a time would', async () => {
    const summary = await server.importPaths([dir]);
    expect(summary).toMatchObject({ imported: 5, failed: [] });
    expect(summary.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['SLUG_TAKEN', 'REDIRECT_TAKEN']));
    const posts = await rows<{ id: number | string; slug: string; sourcePath: string }>('SELECT id, slug, "sourcePath" FROM posts ORDER BY id');
    expect(posts.map((p) => p.sourcePath.slice(-7))).toEqual(['01-a.md', '02-b.md', '03-c.md', '04-d.md', '05-e.md']);
    expect(posts.map((p) => p.slug)).toEqual(['same-title', 'same-title-2', 'other', 'same-title-3', 'draft']);
    expect(posts.map((p) => Number(p.id))).toEqual([1, 2, 3, 4, 5]);
    const redirects = await rows<{ path: string; postId: number | string }>('SELECT path, "postId" FROM post_redirects ORDER BY path');
    expect(redirects.map((r) => [r.path, Number(r.postId)])).toEqual([
      ['/old/b', 2],
      ['/old/shared', 1],
    ]);
    // Terms are numbered in the order the files name them.
    const tags = await rows<{ slug: string }>('SELECT slug FROM tags ORDER BY id');
    expect(tags.map((t) => t.slug)).toEqual(['zeta', 'alpha', 'beta', 'gamma', 'delta', 'epsilon']);
    const authors = await rows<{ slug: string; listedCount: number | string }>('SELECT slug, "listedCount" FROM authors ORDER BY id');
    expect(authors.map((a) => [a.slug, Number(a.listedCount)])).toEqual([
      ['ann', 2],
      ['bob', 1],
      ['anonymous', 1],
    ]);
    // A new post's own statistics: the number of posts, and a term of two of them.
    const df = await rows<{ term: string; df: number | string }>(`SELECT term, df FROM term_stats WHERE term IN ('', 'liquid') ORDER BY term`);
    expect(df.map((r) => [r.term, Number(r.df)])).toEqual([
      ['', 5],
      ['liquid', 3],
    ]);
  });

  it('has the related lists a rebuild that tokenizes every post makes', async () => {
    const read = () => rows<{ postId: number; relatedId: number; score: number }>('SELECT "postId", "relatedId", score FROM related_posts ORDER BY "postId", "relatedId"');
    const imported = await read();
    expect(imported.length).toBeGreaterThan(0);
    await server.services.related.rebuild();
    expect(await read()).toEqual(imported);
  });
});
