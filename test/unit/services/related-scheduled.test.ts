import fs from 'node:fs';
import path from 'node:path';
import { SAMPLE_CONTENT_DIR } from '../../../src/paths';
import { RelatedDocument } from '../../generated/graphql';
import { describeEachDatabase } from '../../support/databases';
import { writeFixtureFolder } from '../../support/fixtures';
import { startTestServer, TEST_NOW, TestServer } from '../../support/server';

/*
 * A scheduled post is kept in the related lists it belongs to and shown by the clock at read time.
 * Each list is cut to `first` in SQL: the cut must come after the posts a reader may not see are
 * left out, or a list whose best entry is scheduled comes back one short.
 */
describeEachDatabase('related articles and scheduled posts', (kind) => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'off' });
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    // The same text as vim-registers, so it ranks first in that post's list; dated after TEST_NOW.
    const source = fs.readFileSync(path.join(SAMPLE_CONTENT_DIR, '2024-3-7-vim-registers.md'), 'utf8');
    dir = writeFixtureFolder({ '2026-07-01-vim-registers-again.md': source.replace('title: Vimのレジスタを使いこなす', 'title: Vimのレジスタ再入門\ndate: 2026-07-01') });
    expect((await server.importPaths([dir])).failed).toEqual([]);
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  });

  async function related(first: number) {
    const result = await server.client.query(RelatedDocument, { slug: 'vim-registers', first }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!.post!.related.map((r) => r.post.slug);
  }

  it('fills the list past a scheduled post, which enters it first when its time comes', async () => {
    server.clock.set(TEST_NOW);
    const shown = await related(20);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown).not.toContain('vim-registers-again');
    expect(await related(1)).toEqual(shown.slice(0, 1));
    expect(await related(2)).toEqual(shown.slice(0, 2));

    // The list did not change, only the clock: the scheduled post was its best entry all along.
    server.clock.set(new Date('2026-07-02T00:00:00Z'));
    expect(await related(1)).toEqual(['vim-registers-again']);
    expect(await related(2)).toEqual(['vim-registers-again', shown[0]]);
    expect(await related(20)).toEqual(['vim-registers-again', ...shown]);
  });
});
