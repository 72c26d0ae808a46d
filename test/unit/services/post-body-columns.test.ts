import { SAMPLE_CONTENT_DIR } from '../../../src/paths';
import { ANONYMOUS } from '../../../src/services/access/viewer';
import { FULL_POST } from '../../../src/services/posts/read';
import { describeEachDatabase } from '../../support/databases';
import { startTestServer, TestServer } from '../../support/server';

/*
 * A read names the body columns it shows (an article page: `bodyHtml` alone). Each is long and
 * stored apart from the row, so the others are left unread: a read gets exactly the text a full
 * read gets for the columns it names, and nothing for the others.
 */
describeEachDatabase('post reads and body columns', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'off' });
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
  });
  afterAll(() => server?.stop());

  const read = async (body: boolean | ('bodyHtml' | 'headings' | 'bodyMarkdown')[]) => {
    const [post] = await server.services.posts.bySlugs(ANONYMOUS, ['vim-registers'], { include: { body } });
    return post;
  };

  it('reads the body columns named, as a full read has them, and leaves the others out', async () => {
    const [full] = await server.services.posts.bySlugs(ANONYMOUS, ['vim-registers'], { include: FULL_POST });
    expect(full.bodyHtml).toContain('<h2');

    const html = await read(['bodyHtml']);
    expect(html.bodyHtml).toBe(full.bodyHtml);
    expect(html.bodyMarkdown).toBeUndefined();
    expect(html.headings).toBeUndefined();
    expect(html.title).toBe(full.title);

    const outline = await read(['headings', 'bodyMarkdown']);
    expect(outline.headings).toEqual(full.headings);
    expect(outline.bodyMarkdown).toBe(full.bodyMarkdown);
    expect(outline.bodyHtml).toBeUndefined();

    expect((await read([])).bodyHtml).toBeUndefined();
    expect((await read(true)).bodyMarkdown).toBe(full.bodyMarkdown);
  });
});
