import crypto from 'node:crypto';
import fs from 'node:fs';
import { prepareArticle, PreparedArticle } from '../../../src/content';
import { describeWithShared, SEED_FILE } from '../../support/shared';

/*
 * Issue 15 changed rendering (absolute URLs, lazy images) and what an import reads from the
 * front matter. The seed article has neither images nor relative links, so it must come out
 * exactly as it did before: these digests were taken from the pipeline at commit 42ebd46.
 */
const BEFORE = {
  bodyMarkdown: '9b6402eeb718ffd62c6312b41af8aaa687dff3b4761e1f1d6742bec3f6894b4c',
  bodyHtml: 'b13dbb31be18629300e0503060049f7860156fbc34e0b1dd92456f1a9a8199b7',
  /** Every other field the pipeline gave then, in its order then. */
  otherFields: 'bb65f4a12f9a7c10108800bf37a8a3da584720bdd8d97bdabfa76cf4a71bda1f',
};
const FIELDS_THEN = [
  'sourcePath', 'title', 'slug', 'publishedAt', 'draft', 'authors', 'tags', 'categories', 'excerpt', 'readingTimeMinutes',
  'language', 'frontMatter', 'bodyMarkdown', 'bodyHtml', 'headings', 'contentIssues',
] as const;

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function digests(article: PreparedArticle) {
  const others: Record<string, unknown> = {};
  for (const key of FIELDS_THEN) others[key] = key === 'bodyMarkdown' || key === 'bodyHtml' ? 0 : article[key];
  return { bodyMarkdown: sha256(article.bodyMarkdown), bodyHtml: sha256(article.bodyHtml), otherFields: sha256(JSON.stringify(others)) };
}

describeWithShared('the seed article across issue 15', () => {
  const text = () => fs.readFileSync(SEED_FILE, 'utf8');
  const source = () => ({ path: 'samples/000_20020096e96e7224.txt', text: text() });

  it('keeps its fields and its repaired body byte for byte', () => {
    expect(digests(prepareArticle(source(), { postUrl: (slug) => `/posts/${slug}` }))).toEqual(BEFORE);
  });

  it('gains no cover image, declared SEO or redirects it does not have', () => {
    const article = prepareArticle(source(), { postUrl: (slug) => `/posts/${slug}` });
    expect(article).toMatchObject({ coverImage: null, seo: null, noindex: false, redirectFrom: [] });
  });
});
