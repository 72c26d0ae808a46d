import { prepareArticle, lintSource, PreparedArticle, ContentIssue } from '../../../src/content';

export const options = { postUrl: (slug: string) => `/posts/${slug}` };

/** Builds a source file from front-matter lines and a body. */
export function source(frontMatter: string, body = 'Some body text.\n'): string {
  return `---\n${frontMatter}\n---\n${body}`;
}

export function prep(text: string, path = '_posts/2020-01-02-sample-post.md'): PreparedArticle {
  return prepareArticle({ path, text }, options);
}

export function lint(text: string, path = '_posts/2020-01-02-sample-post.md'): ContentIssue[] {
  return lintSource({ path, text }, options);
}

export function codes(issues: ContentIssue[]): string[] {
  return issues.map((i) => i.code);
}
