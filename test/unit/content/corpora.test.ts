import * as fs from 'fs';
import * as path from 'path';
import { ContentError, prepareArticle, PreparedArticle } from '../../../src/content';
import { options } from './helpers';

/**
 * Every real post of the shared corpora must either prepare or fail with a ContentError whose
 * reason is acceptable: only front matter that is truly broken YAML. The corpora are read where
 * they live (../shared beside the repository), never copied.
 */
const shared = path.resolve(__dirname, '../../../../shared');
const corpora = ['vim-jp.github.io/_posts', 'jekyll/docs/_posts', '18f.gsa.gov/content/posts'];
const present = fs.existsSync(path.join(shared, 'corpora'));
if (!present) console.warn(`shared corpora not found at ${shared}/corpora; corpus tests skipped`);
const d = present ? describe : describe.skip;

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.(md|markdown|txt)$/.test(f))
    .sort();
}

const UNSAFE = /<script|<style|<iframe|<[^>]*\son[a-z]+\s*=|(?:href|src)\s*=\s*["']?\s*javascript:/i;

interface Outcome {
  file: string;
  text: string;
  article?: PreparedArticle;
  error?: ContentError;
}

function prepareAll(files: string[]): Outcome[] {
  return files.map((file) => {
    const text = fs.readFileSync(file, 'utf8');
    try {
      return { file, text, article: prepareArticle({ path: file, text }, options) };
    } catch (err) {
      if (err instanceof ContentError) return { file, text, error: err };
      throw new Error(`${file}: ${(err as Error).stack}`);
    }
  });
}

d('real corpora', () => {
  const results = new Map<string, Outcome[]>();
  beforeAll(() => {
    for (const corpus of corpora) results.set(corpus, prepareAll(walk(path.join(shared, 'corpora', corpus))));
    results.set('samples', prepareAll(walk(path.join(shared, 'samples'))));
  });

  it.each(corpora)('%s: every file prepares or fails only on broken YAML', (corpus) => {
    const outcomes = results.get(corpus)!;
    expect(outcomes.length).toBeGreaterThan(90);
    const bad = outcomes
      .filter((o) => o.error && !/front matter is not valid YAML/.test(o.error.message))
      .map((o) => `${o.file}:${o.error!.line} ${o.error!.message}`);
    expect(bad).toEqual([]);
    for (const o of outcomes.filter((x) => x.error)) expect(o.error!.line).toBeGreaterThan(1);
  });

  it('prepares the seed sample', () => {
    const outcomes = results.get('samples')!;
    expect(outcomes.length).toBeGreaterThanOrEqual(1);
    expect(outcomes.every((o) => o.article)).toBe(true);
  });

  it('never lets scripts, event handlers or javascript: URLs into bodyHtml', () => {
    const unsafe: string[] = [];
    for (const outcomes of results.values()) {
      for (const o of outcomes) if (o.article && UNSAFE.test(o.article.bodyHtml)) unsafe.push(o.file);
    }
    expect(unsafe).toEqual([]);
  });

  it('gives every prepared post a title, a slug, a date and a non-empty excerpt under 160 characters when generated', () => {
    const problems: string[] = [];
    for (const outcomes of results.values()) {
      for (const { file, text, article: a } of outcomes) {
        if (!a) continue;
        if (!a.title || !a.slug || /^-|-$/.test(a.slug)) problems.push(`${file}: title/slug`);
        if (!a.publishedAt || Number.isNaN(a.publishedAt.getTime())) problems.push(`${file}: date`);
        if (a.excerpt.length >= 160) problems.push(`${file}: excerpt length ${a.excerpt.length}`);
        // Outside code, Liquid may only survive where the author protected it with {% raw %}.
        const prose = a.bodyHtml.replace(/<code[\s\S]*?<\/code>/g, '');
        if (!/\{%-?\s*raw/.test(text) && /\{%|\{\{/.test(prose)) problems.push(`${file}: Liquid left in HTML`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reads the vim-jp key names, CRLF files and unpadded dates', () => {
    const vim = results.get('vim-jp.github.io/_posts')!;
    const byName = (name: string) => vim.find((o) => o.file.endsWith(name))?.article;
    const visual = byName('2015-06-30-visual-ctrl-a-ctrl-x.md');
    expect(visual?.bodyHtml).toContain('&lt;c-a&gt;');
    for (const o of vim) expect(o.article?.bodyMarkdown.includes('\r')).toBe(false);
    const unpadded = vim.find((o) => /\/\d{4}-\d-\d{1,2}-/.test(o.file) || /\/\d{4}-\d{2}-\d-/.test(o.file));
    if (unpadded?.article) expect(unpadded.article.publishedAt).not.toBeNull();
  });

  it('detects Japanese and English posts', () => {
    const wrong: string[] = [];
    for (const [corpus, outcomes] of results) {
      for (const { file, article } of outcomes) {
        if (!article) continue;
        const expected = corpus === 'samples' || (corpus.startsWith('vim-jp') && !/-en\.md$|vimconf2017-key-speakers|publishing-vimconf/.test(file)) ? 'ja' : 'en';
        if (article.language !== expected) wrong.push(`${file}: ${article.language}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('handles the 18F post whose body leaked into its front matter', () => {
    const o = results.get('18f.gsa.gov/content/posts')!.find((x) => x.file.endsWith('2014-05-14-hacking-bureaucracy-improving-hiring-and-software.md'));
    expect(o?.article).toBeDefined();
    const a = o!.article!;
    expect(Object.keys(a.frontMatter).every((k) => /^[a-z_]+$/.test(k))).toBe(true);
    expect(a.authors).toEqual(['greg', 'noah']);
    expect(a.contentIssues.map((i) => i.code)).toContain('FRONT_MATTER_REPAIRED');
  });
});
