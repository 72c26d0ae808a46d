import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@urql/core';
import { PROJECT_ROOT } from '../../src/paths';
import type { ImportSummary } from '../../src/services/import';
import { DatedPostsDocument, ImportMarkdownDocument, PublicFeedDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { DATE_FORMS, DateForm } from '../support/date-forms';
import { writeFixtureFolder } from '../support/fixtures';
import { stringMatching } from '../support/matchers';
import { startTestServer, TestServer } from '../support/server';

/** `kiji import --json` as a user runs it, against a test server's database (no KIJI_TIMEZONE). */
function kijiImport(server: TestServer, folder: string) {
  const db = server.databaseConfig;
  const { KIJI_TIMEZONE: _ignored, ...inherited } = process.env;
  const env = { ...inherited, DATABASE_URL: db.type === 'sqlite' ? `sqlite:${db.path}` : db.url, LOG_LEVEL: 'error' };
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), 'import', '--json', folder], { env, encoding: 'utf8' });
  return { code: result.status, summary: JSON.parse(result.stdout) as ImportSummary, stderr: result.stderr };
}

async function editorOf(server: TestServer): Promise<Client> {
  const { secret } = await server.services.keys.create('editor', 'dates test');
  return server.clientWith(secret);
}

/** What an editor sees of every post: slug → status and date. */
async function storedDates(editor: Client): Promise<Map<string, { status: string; publishedAt: string | null }>> {
  const result = await editor.query(DatedPostsDocument, { first: 100 }).toPromise();
  expect(result.error).toBeUndefined();
  return new Map(result.data!.posts.edges.map(({ node }) => [node.slug, { status: node.status, publishedAt: node.publishedAt ?? null }]));
}

/** One file per form; its date is on line 4, quoted the way YAML keeps every character. */
function formFile(prefix: string, index: number, form: DateForm) {
  return { name: `${prefix}-${index}.md`, text: `---\ntitle: ${prefix} ${index}\nslug: ${prefix}-${index}\ndate: ${JSON.stringify(form.written)}\n---\n\nBody.\n` };
}

/** The table as stored: each form with the date and status Kiji gave it and the warning it reported. */
function asStored(prefix: string, forms: DateForm[], posts: Awaited<ReturnType<typeof storedDates>>, warnings: { file: string; line: number; code: string }[]) {
  return forms.map((form, i) => {
    const post = posts.get(`${prefix}-${i}`);
    const warning = warnings.find((w) => w.file.endsWith(`/${prefix}-${i}.md`) || w.file === `${prefix}-${i}.md`);
    return { written: form.written, publishedAt: post?.publishedAt, status: post?.status, warning: warning ? `${warning.code}@${warning.line}` : '-' };
  });
}

function expected(forms: DateForm[]) {
  return forms.map((form) => ({
    written: form.written,
    publishedAt: form.stored,
    // An unreadable date never becomes the import time: the post waits as a draft.
    status: form.stored ? 'PUBLISHED' : 'DRAFT',
    warning: form.warning ? `${form.warning}@4` : '-',
  }));
}

describeEachDatabase('dates as people write them', (kind) => {
  const byZone = {
    UTC: DATE_FORMS.filter((f) => !f.zone),
    'Asia/Tokyo': DATE_FORMS.filter((f) => f.zone === 'Asia/Tokyo'),
  };
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));
  const start = async (timeZone?: string) => {
    const server = await startTestServer(kind, { timeZone });
    servers.push(server);
    return { server, editor: await editorOf(server) };
  };

  it.each(Object.keys(byZone) as (keyof typeof byZone)[])('stores every form right through kiji import and importMarkdown (site zone %s)', async (zone) => {
    const forms = byZone[zone];
    // The CLI finds the zone in the folder's _config.yml, as Jekyll does; the server has KIJI_TIMEZONE.
    const { server, editor } = await start(zone === 'UTC' ? undefined : zone);
    const files = Object.fromEntries(forms.map((form, i) => formFile('cli', i, form)).map((f) => [f.name, f.text]));
    if (zone !== 'UTC') files['_config.yml'] = `title: Site\ntimezone: ${zone}\n`;
    const cli = kijiImport(server, writeFixtureFolder(files));
    expect(cli.summary.failed).toEqual([]);
    expect(cli.summary.imported).toBe(forms.length);

    const api = await editor
      .mutation(ImportMarkdownDocument, { files: forms.map((form, i) => formFile('api', i, form)).map((f) => ({ path: f.name, content: f.text })) })
      .toPromise();
    expect(api.error).toBeUndefined();
    expect(api.data!.importMarkdown.failed).toEqual([]);

    const posts = await storedDates(editor);
    expect(asStored('cli', forms, posts, cli.summary.warnings)).toEqual(expected(forms));
    expect(asStored('api', forms, posts, api.data!.importMarkdown.warnings)).toEqual(expected(forms));
    // Exactly one warning per form that has one, on both paths.
    const warned = forms.filter((f) => f.warning).length;
    expect(cli.summary.warnings).toHaveLength(warned);
    expect(api.data!.importMarkdown.warnings).toHaveLength(warned);
  });

  describe('a Hakyll blog', () => {
    // Front matter closed by `...`, English dates, no dates in file names, the site in Tokyo.
    const post = (title: string, date: string) => `---\ntitle: ${title}\ndate: ${date}\ntags: 旅行, 京都\n...\n\n${title}の記録。桜が咲いていた。\n`;
    const hakyll = {
      '_config.yml': 'title: 旅の日記\ntimezone: Asia/Tokyo\n',
      'posts/kyoto.md': post('京都の春', 'April 30, 2017'),
      'posts/nara.md': post('奈良の鹿', 'May 3, 2017'),
      'posts/osaka.md': post('大阪の夜', 'June 1, 2017'),
      'posts/kobe.md': post('神戸の港', 'December 31, 2016'),
    };
    const dates = { 京都の春: '2017-04-29T15:00:00.000Z', 奈良の鹿: '2017-05-02T15:00:00.000Z', 大阪の夜: '2017-05-31T15:00:00.000Z', 神戸の港: '2016-12-30T15:00:00.000Z' };

    it('imports with every date right, in the order written, and no warning', async () => {
      const { server } = await start();
      const { code, summary, stderr } = kijiImport(server, writeFixtureFolder(hakyll));
      expect({ code, stderr, failed: summary.failed, warnings: summary.warnings, imported: summary.imported }).toEqual({
        code: 0,
        stderr: '',
        failed: [],
        warnings: [],
        imported: 4,
      });
      const feed = await server.client.query(PublicFeedDocument, { first: 10 }).toPromise();
      expect(feed.data!.posts.edges.map((e) => e.node.publishedAt)).toEqual([dates.大阪の夜, dates.奈良の鹿, dates.京都の春, dates.神戸の港]);
    });

    it('reports exactly one unreadable date with its file and line, keeps that post from readers, and takes the fixed date on re-import', async () => {
      const { server, editor } = await start();
      const folder = writeFixtureFolder({ ...hakyll, 'posts/nara.md': post('奈良の鹿', 'April 31, 2017') });
      const first = kijiImport(server, folder);
      expect(first.code).toBe(0);
      expect(first.summary.warnings).toEqual([
        {
          file: stringMatching(/posts\/nara\.md$/),
          line: 3,
          code: 'DATE_UNREADABLE',
          message: 'cannot read date "April 31, 2017"; the post is kept as a draft until it has a date',
        },
      ]);
      expect((await storedDates(editor)).get('奈良の鹿')).toEqual({ status: 'DRAFT', publishedAt: null });
      const publicSlugs = async () => (await server.client.query(PublicFeedDocument, { first: 10 }).toPromise()).data!.posts.edges.map((e) => e.node.slug);
      expect(await publicSlugs()).not.toContain('奈良の鹿');

      fs.writeFileSync(path.join(folder, 'posts/nara.md'), post('奈良の鹿', 'May 3, 2017'));
      const again = kijiImport(server, folder);
      expect(again.summary).toMatchObject({ imported: 0, updated: 1, unchanged: 3, failed: [], warnings: [] });
      expect((await storedDates(editor)).get('奈良の鹿')).toEqual({ status: 'PUBLISHED', publishedAt: dates.奈良の鹿 });
      expect(await publicSlugs()).toEqual(['大阪の夜', '奈良の鹿', '京都の春', '神戸の港']);
    });

    it('reads the dates again when the site changes its time zone', async () => {
      const { server, editor } = await start();
      const folder = writeFixtureFolder({ ...hakyll, '_config.yml': 'title: 旅の日記\n' });
      expect(kijiImport(server, folder).summary.imported).toBe(4);
      expect((await storedDates(editor)).get('京都の春')?.publishedAt).toBe('2017-04-30T00:00:00.000Z');
      fs.writeFileSync(path.join(folder, '_config.yml'), hakyll['_config.yml']);
      expect(kijiImport(server, folder).summary).toMatchObject({ updated: 4, failed: [], warnings: [] });
      expect((await storedDates(editor)).get('京都の春')?.publishedAt).toBe(dates.京都の春);
    });

    it('names a time zone it does not know, with its line, and reads the dates as UTC', async () => {
      const { server, editor } = await start();
      const { summary } = kijiImport(server, writeFixtureFolder({ ...hakyll, '_config.yml': 'title: x\ntimezone: Tokyo/Japan\n' }));
      expect(summary.warnings).toEqual([expect.objectContaining({ file: stringMatching(/_config\.yml$/), line: 2, code: 'BAD_TIMEZONE' })]);
      expect((await storedDates(editor)).get('京都の春')?.publishedAt).toBe('2017-04-30T00:00:00.000Z');
    });
  });
});
