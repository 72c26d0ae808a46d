import fs from 'node:fs';
import path from 'node:path';
import { CorporaRelatedDocument, CorporaSearchDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/server';
import { CORPORA, describeWithShared, SEED_FILE } from '../support/shared';

/**
 * Search and related articles over the real corpora in ../shared (vim-jp in Japanese, jekyll and
 * 18F in English) plus the seed article, through GraphQL over HTTP. The words and neighbours
 * checked here were verified by reading the corpora; counts are recomputed from the files.
 */

const PERSISTENT_UNDO = path.join(CORPORA['vim-jp'], 'blog', '2014-11-12-Did-you-know-about-persistent-undo.md');

/** Every article file under a folder. */
function articleFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? articleFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.(md|markdown|txt)$/.test(f));
}

/** How many of the imported files contain `word` at all (the words chosen occur only in indexed text). */
function filesContaining(word: string): number {
  const files = [...Object.values(CORPORA).flatMap(articleFiles), SEED_FILE];
  return files.filter((f) => fs.readFileSync(f, 'utf8').normalize('NFKC').toLowerCase().includes(word.toLowerCase())).length;
}

/**
 * Near-copies of a real post that no reader may see: a draft and a post scheduled after TEST_NOW.
 * Were they visible, they would be the best hits and the best neighbours of the original.
 */
function hiddenTwins(): string {
  const body = fs.readFileSync(PERSISTENT_UNDO, 'utf8').replace(/^---[\s\S]*?\n---\s*\n/, '');
  return writeFixtureFolder({
    '2014-11-13-undo-draft.md': `---\ntitle: undo の永続化 下書き\ncategory: blog\npublished: false\n---\n\n${body}`,
    '2030-01-01-undo-scheduled.md': `---\ntitle: undo の永続化 予約投稿\ncategory: blog\ndate: 2030-01-01 09:00:00 +0900\n---\n\n${body}`,
  });
}

describeWithShared('search and related articles on the shared corpora', () => {
  describeEachDatabase('corpora', (kind) => {
    let server: TestServer;
    let twins: string;
    beforeAll(async () => {
      server = await startTestServer(kind);
      twins = hiddenTwins();
      const summary = await server.importPaths([...Object.values(CORPORA), SEED_FILE, twins]);
      expect(summary.failed.map((f) => f.file)).toEqual([]);
      expect(summary.imported).toBeGreaterThan(950);
    }, 180_000);
    afterAll(async () => {
      await server?.stop();
      if (twins) fs.rmSync(twins, { recursive: true, force: true });
    });

    async function search(query: string, filter: { category?: string; tag?: string } = {}, first = 50) {
      const result = await server.client.query(CorporaSearchDocument, { query, first, ...filter }).toPromise();
      expect(result.error).toBeUndefined();
      return result.data!.posts;
    }
    const slugs = (posts: { edges: { node: { slug: string } }[] }) => posts.edges.map((e) => e.node.slug);

    async function related(slug: string, first = 5) {
      const result = await server.client.query(CorporaRelatedDocument, { slug, first }).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data!.post).not.toBeNull();
      return result.data!.post!;
    }

    it('finds a 4-character Japanese word wherever it occurs in vim-jp running text, the title hit first', async () => {
      const hits = await search('正規表現');
      // 18 files: one title, and body text such as 「新しい、速い正規表現エンジン。」 and issue lists.
      expect(hits.totalCount).toBe(filesContaining('正規表現'));
      expect(hits.totalCount).toBeGreaterThanOrEqual(15);
      expect(slugs(hits)[0]).toBe('vim-7-4-want-more-testers-for-new-regexp-engine');
      expect(slugs(hits)).toEqual(expect.arrayContaining(['regexp-engine-work', 'dropped-migemo-from-ctrlp-vim', 'vim-7-4-released']));
    });

    it('finds a 2-character Japanese word inside running text, and only as a whole', async () => {
      const hits = await search('寄付');
      expect(hits.totalCount).toBe(filesContaining('寄付'));
      // 「売上の数パーセントが Vim のチャリティーに寄付されます」 is body text of the calendar posts.
      expect(slugs(hits)).toEqual(expect.arrayContaining(['vim-2014-calendar', 'vim-charity-donate-bitcoins', 'vim-donations']));
      // 寄付金 contains 寄付; 付金 alone is not a word any post has without 寄.
      expect((await search('寄付金')).totalCount).toBeLessThan(hits.totalCount);
      expect((await search('付寄')).totalCount).toBe(0);
      for (const { node } of (await search('チャリティー 決算報告')).edges) expect(node.title).toMatch(/チャリティー|寄付|charity/i);
    });

    it('finds English words in jekyll and 18F case-insensitively', async () => {
      const estonia = await search('Estonia');
      expect(slugs(estonia)).toEqual(['what-estonia-can-teach-us-about-government-records']);
      expect(slugs(await search('ESTONIA'))).toEqual(slugs(estonia));
      expect(slugs(await search('estonia'))).toEqual(slugs(estonia));
      const elastic = await search('elasticsearch');
      expect(slugs(elastic)[0]).toBe('how-we-get-high-availability-with-elasticsearch-and-ruby-on-rails');
      expect(slugs(await search('ElasticSearch'))).toEqual(slugs(elastic));
      const sass = await search('Sass Converter');
      expect(slugs(sass)[0]).toBe('jekyll-sass-converter-3-0-released');
      expect(slugs(await search('sass converter'))).toEqual(slugs(sass));
      // Mixed script query on the seed: both terms must match.
      expect(slugs(await search('Amazon 1兆円'))).toEqual(['amazon-1兆円の可能性とは']);
    });

    it('combines a query with a category filter', async () => {
      const all = await search('正規表現');
      const magazine = await search('正規表現', { category: 'vimmagazine' });
      expect(magazine.totalCount).toBeGreaterThan(0);
      expect(magazine.totalCount).toBeLessThan(all.totalCount);
      for (const { node } of magazine.edges) expect(node.categories.map((c) => c.slug)).toContain('vimmagazine');
    });

    it('never shows a draft or a post scheduled for later as a hit', async () => {
      const hits = await search('永続化');
      expect(slugs(hits)).toEqual(['did-you-know-about-persistent-undo']);
      for (const { node } of hits.edges) expect(node.status).toBe('PUBLISHED');
      expect((await search('予約投稿')).totalCount).toBe(0);
      expect((await search('下書き 永続化')).totalCount).toBe(0);
    });

    it('never relates a post to itself, a draft or a scheduled post; best first', async () => {
      const post = await related('did-you-know-about-persistent-undo', 10);
      const list = post.related.map((r) => r.post.slug);
      expect(list).toHaveLength(10);
      expect(list).not.toContain('did-you-know-about-persistent-undo');
      expect(list).not.toContain('undo-draft');
      expect(list).not.toContain('undo-scheduled');
      for (const r of post.related) expect(r.post.status).toBe('PUBLISHED');
      // The scheduled twin is stored as the best neighbour (it goes live in 2030): the read hides it.
      const [{ stored }] = await server.dataSource.query<{ stored: number | string }[]>(
        `SELECT COUNT(*) AS stored FROM related_posts r JOIN posts a ON a.id = r."postId" JOIN posts b ON b.id = r."relatedId"
         WHERE a.slug = 'did-you-know-about-persistent-undo' AND b.slug = 'undo-scheduled'`,
      );
      expect(Number(stored)).toBe(1);
      const scores = post.related.map((r) => r.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('relates vim-jp release notes to other vim-jp release notes', async () => {
      for (const slug of ['vim73w32-7-3-447', 'vim73w64-7-3-462']) {
        const post = await related(slug);
        expect(post.categories.map((c) => c.slug)).toEqual(['release']);
        expect(post.related).toHaveLength(5);
        for (const r of post.related) {
          expect(r.post.slug).not.toBe(slug);
          expect(r.post.categories.map((c) => c.slug)).toContain('release');
          // A Japanese release note (「… リリース」), not one of jekyll's "release" posts.
          expect(r.post.title).toMatch(/リリース/);
        }
      }
    });

    it('relates a Vim Magazine issue to other issues and a VimConf post to VimConf posts', async () => {
      const issue = (await search('Vim Magazine', { category: 'vimmagazine' }, 1)).edges[0].node;
      const magazine = await related(issue.slug);
      for (const r of magazine.related) expect(r.post.categories.map((c) => c.slug)).toContain('vimmagazine');
      const vimconf = await related('vimconf2017-speakers');
      expect(vimconf.related.filter((r) => /VimConf/i.test(r.post.title)).length).toBeGreaterThanOrEqual(4);
      for (const r of vimconf.related) expect(r.post.categories.map((c) => c.slug)).toContain('blog');
    });

    it('relates English posts within their corpus: jekyll releases, 18F posts sharing tags', async () => {
      const release = await related('jekyll-3-0-released');
      for (const r of release.related) {
        expect(r.post.title).toMatch(/Jekyll/);
        expect(r.post.categories.map((c) => c.slug)).toContain('release');
      }
      const pairing = await related('pair-programming-why-two-heads-are-better-than-one');
      expect(pairing.tags.length).toBeGreaterThan(0);
      const sharing = pairing.related.filter((r) => r.sharedTags.length > 0);
      expect(sharing.length).toBeGreaterThanOrEqual(4);
      const own = new Set(pairing.tags.map((t) => t.slug));
      for (const r of sharing) for (const t of r.sharedTags) expect(own.has(t.slug)).toBe(true);
    });
  });
});
