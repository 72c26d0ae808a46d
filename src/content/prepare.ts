/**
 * One source file → one PreparedArticle: front matter read and mapped, generated-text artifacts
 * repaired, Liquid resolved, Markdown rendered and sanitized, and every repair or problem listed
 * with its line in the original file.
 */
import sanitizeHtml from 'sanitize-html';
import { repairArtifacts, SourceLine } from './artifacts';
import { dateFromFileName, parseDateValue } from './dates';
import { EXCERPT_LIMIT, excerptFromTokens, shortenExcerpt } from './excerpt';
import { readAuthors, readBoolean, readMinutes, readNameList, scalarText } from './fields';
import { normalizeNewlines, parseFrontMatter, splitFrontMatter } from './frontMatter';
import { detectLanguage } from './language';
import { findBoldHeadings, readingTimeIsFar } from './lint';
import { resolveLiquid } from './liquid';
import { blockMd, md, MdToken } from './markdown';
import { coverImage } from './media';
import { readingTimeMinutes } from './readingTime';
import { readRedirectFrom } from './redirects';
import { renderWithTokens } from './render';
import { declaredSeo } from './seo';
import { slugFromFileName, slugify } from './slug';
import { ContentError, ContentIssue, PreparedArticle, PrepareOptions, SourceFile } from './types';

/** Keys that become columns; every other key is kept verbatim in `frontMatter`. */
const MAPPED_KEYS = new Set([
  'title', 'date', 'categories', 'category', 'tags', 'tag', 'author', 'authors',
  'excerpt', 'slug', 'reading_time', 'lang', 'language', 'published', 'draft',
]);

const UNDATED = 'the post is kept as a draft until it has a date';

function lineIndexAt(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Front-matter excerpts are sometimes HTML (`<p>…</p>`); editors and feeds want plain text. */
function plainExcerpt(value: string): string {
  const text = /<[A-Za-z!/]/.test(value)
    ? md.utils.unescapeAll(sanitizeHtml(value, { allowedTags: [], allowedAttributes: {} }))
    : value;
  return text.replace(/\s+/g, ' ').trim();
}

/** Prose only, for language detection: code says nothing about the language of the article. */
function proseOf(markdown: string): string {
  return markdown
    .replace(/^[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?^[ \t]*\1[ \t]*$/gm, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\]\([^)\s]*(?:\s+"[^"]*")?\)/g, ']') // link targets
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/(?:https?|ftp):\/\/\S+/g, ' ');
}

function tidyBody(text: string): string {
  const trimmed = text.replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
  return trimmed ? `${trimmed}\n` : '';
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? '').replace(/\.[^.]+$/, '');
}

export function prepareArticle(source: SourceFile, options: PrepareOptions): PreparedArticle {
  const file = source.path;
  const split = splitFrontMatter(file, normalizeNewlines(source.text));
  const fm = parseFrontMatter(file, split);
  const data = fm.data;
  const issues: ContentIssue[] = [...fm.issues];
  const keyLine = (...keys: string[]) => keys.map((k) => fm.keyLines[k]).find((l) => l !== undefined) ?? 1;

  // Body: repairs first (their lines are the file's), then Liquid, then rendering.
  const bodyLines: SourceLine[] = split.body.split('\n').map((text, i) => ({ text, line: split.bodyStartLine + i }));
  let structure: MdToken[] | undefined;
  const getStructure = () => (structure ??= blockMd.parse(split.body, {}));
  const repaired = repairArtifacts(file, bodyLines, getStructure);
  issues.push(...repaired.issues, ...findBoldHeadings(file, getStructure, bodyLines));
  const repairedText = repaired.lines.map((l) => l.text).join('\n');
  const liquid = resolveLiquid(repairedText, { postUrl: options.postUrl, variables: data });
  for (const note of liquid.notes) {
    const line = repaired.lines[lineIndexAt(repairedText, note.offset)]?.line ?? split.bodyStartLine;
    issues.push({ file, line, code: note.code, message: note.message });
  }
  const bodyMarkdown = tidyBody(liquid.text);
  // Document-relative URLs in the body resolve against the post's own address, where the slug is known before rendering.
  const slugHint = scalarText(data.slug) ?? slugFromFileName(file) ?? scalarText(data.title);
  const renderOptions = slugHint && !options.documentUrl ? { ...options, documentUrl: options.postUrl(slugify(slugHint)) } : options;
  const { html, headings, tokens, firstImage } = renderWithTokens(bodyMarkdown, renderOptions);
  if (!bodyMarkdown) {
    issues.push({ file, line: Math.min(split.bodyStartLine, bodyLines[bodyLines.length - 1].line), code: 'EMPTY_BODY', message: 'the article has no body text' });
  }

  // Title: front matter, else the first heading, else the name in the file name.
  let title = scalarText(data.title);
  if (!title) {
    const fallback = headings[0]?.text || slugFromFileName(file) || baseName(file).trim();
    if (!fallback) throw new ContentError(file, 1, `${file}: no title in the front matter, no heading and no usable file name`);
    issues.push({ file, line: fm.keyLines.title ?? 1, code: 'NO_TITLE', message: `no "title" in the front matter; using "${fallback}"` });
    title = fallback;
  }

  const slugValue = scalarText(data.slug);
  const slug = slugValue ? slugify(slugValue) : slugFromFileName(file) ?? slugify(title);

  // A date that cannot be read never becomes the import time: the file name's date, else none
  // (the importer keeps an undated post as a draft, which editors see and readers do not).
  const fileNameDate = () => dateFromFileName(file, options.timeZone);
  let publishedAt: Date | null;
  if (data.date !== undefined && data.date !== null && data.date !== '') {
    const reading = parseDateValue(data.date, options.timeZone);
    publishedAt = reading.date ?? fileNameDate();
    if (reading.issue) {
      const outcome = reading.date ? '' : publishedAt ? `; using the file name's date ${publishedAt.toISOString()}` : `; ${UNDATED}`;
      issues.push({ file, line: keyLine('date'), code: reading.issue.code, message: reading.issue.message + outcome });
    }
  } else {
    publishedAt = fileNameDate();
    if (!publishedAt) issues.push({ file, line: 1, code: 'NO_DATE', message: `no date in the front matter or the file name; ${UNDATED}` });
  }

  const draft = readBoolean(data.published) === false || readBoolean(data.draft) === true;
  const authors = readAuthors(data.author, data.authors, slugify);
  const tags = readNameList(data.tags, data.tag);
  const categories = readNameList(data.categories, data.category);

  const frontMatter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!MAPPED_KEYS.has(key)) frontMatter[key] = value;

  const declaredExcerpt = scalarText(data.excerpt);
  let excerpt = declaredExcerpt ? plainExcerpt(declaredExcerpt) : excerptFromTokens(tokens);
  if (declaredExcerpt && excerpt.length >= EXCERPT_LIMIT) {
    // Teasers have one size everywhere; the author's long version stays in frontMatter.
    excerpt = shortenExcerpt(excerpt);
    frontMatter.excerpt = declaredExcerpt;
  }

  const computedMinutes = readingTimeMinutes(bodyMarkdown);
  let readingTime = computedMinutes;
  if (data.reading_time !== undefined && data.reading_time !== null) {
    const declared = readMinutes(data.reading_time);
    if (declared === null) {
      issues.push({ file, line: keyLine('reading_time'), code: 'BAD_READING_TIME', message: `reading_time ${JSON.stringify(data.reading_time)} is not a number of minutes; computed ${computedMinutes}` });
    } else {
      readingTime = declared;
      if (readingTimeIsFar(declared, computedMinutes)) {
        issues.push({ file, line: keyLine('reading_time'), code: 'READING_TIME_MISMATCH', message: `reading_time says ${declared} min but the text reads in about ${computedMinutes} min` });
      }
    }
  }

  const language = scalarText(data.lang) ?? scalarText(data.language) ?? detectLanguage(`${title}\n${proseOf(bodyMarkdown)}`);

  // `redirect_from` also stays in frontMatter, as written.
  const yamlLines = split.yamlLines.map((text, i) => ({ text, line: split.yamlStartLine + i }));
  const redirects = readRedirectFrom(file, data.redirect_from, keyLine('redirect_from'), yamlLines);
  issues.push(...redirects.issues);

  issues.sort((a, b) => a.line - b.line);
  return {
    sourcePath: file,
    title,
    slug,
    publishedAt,
    draft,
    authors,
    tags,
    categories,
    excerpt,
    readingTimeMinutes: readingTime,
    language,
    frontMatter,
    bodyMarkdown,
    bodyHtml: html,
    headings,
    contentIssues: issues,
    // `image`, `description`, `seo` and the like also stay in frontMatter, as written: apps read them there.
    coverImage: coverImage(data, firstImage, options.imageSize),
    ...declaredSeo(data),
    redirectFrom: redirects.paths,
  };
}
