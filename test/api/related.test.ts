import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { FeedWithRelatedDocument, RelatedDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/server';

describeEachDatabase('related articles', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
  });
  afterAll(() => server?.stop());

  async function related(slug: string, first?: number) {
    const result = await server.client.query(RelatedDocument, { slug, first }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!.post!.related;
  }

  it('ranks posts on the same subject first, never the post itself or a draft', async () => {
    const list = await related('immersion-cooling', 5);
    // Only posts that share something are related; the sample has two more cooling posts.
    const slugs = list.map((r) => r.post.slug);
    expect(slugs.slice(0, 2).sort()).toEqual(['chilled-water-loops', 'cooling-water-quality']);
    expect(slugs).not.toContain('immersion-cooling');
    expect(slugs).not.toContain('air-cooled-rack-retrofit'); // a draft on the same subject
    for (const r of list) expect(r.post.status).toBe('PUBLISHED');
    const scores = list.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(list[0].sharedTags.map((t) => t.name)).toContain('冷却');
  });

  it('finds neighbours by text alone for posts without shared tags', async () => {
    const list = await related('vim-registers', 3);
    expect(list[0].post.slug).toBe('vim-macros-and-counts');
  });

  it('is deterministic and honours first', async () => {
    expect(await related('bedrock-rag', 4)).toEqual(await related('bedrock-rag', 4));
    expect((await related('bedrock-rag', 4)).slice(0, 2)).toEqual(await related('bedrock-rag', 2));
    expect(await related('bedrock-rag', 0)).toEqual([]);
    const tooMany = await server.client.query(RelatedDocument, { slug: 'bedrock-rag', first: 21 }).toPromise();
    expect(tooMany.error?.graphQLErrors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('follows changes: a new close post enters the list, and leaves it when unpublished', async () => {
    const dir = writeFixtureFolder({
      '2024-10-01-more-vim-registers.md':
        '---\ntitle: Vimのレジスタとマクロ再入門\ndate: 2024-10-01\ntags: [Vim, エディタ]\n---\n\n' +
        'Vimのレジスタとマクロを使いこなすと編集が速くなる。レジスタにはヤンクした内容が入り、マクロはレジスタに記録される。\n',
    });
    const file = path.join(dir, '2024-10-01-more-vim-registers.md');
    try {
      await server.importPaths([dir]);
      expect((await related('vim-registers', 3)).map((r) => r.post.slug)).toContain('more-vim-registers');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('date: 2024-10-01', 'date: 2024-10-01\ndraft: true'));
      await server.importPaths([dir]);
      expect((await related('vim-registers', 5)).map((r) => r.post.slug)).not.toContain('more-vim-registers');
      expect((await related('vim-registers', 3))[0].post.slug).toBe('vim-macros-and-counts');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('costs a constant number of SQL statements for a page of posts asking for related', async () => {
    const counts: number[] = [];
    for (const first of [3, 12]) {
      const result = await server.client.query(FeedWithRelatedDocument, { first }).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data!.posts.edges).toHaveLength(first);
      counts.push(Number(server.lastHeaders().get('x-kiji-sql-statements')));
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(6);
  });
});
