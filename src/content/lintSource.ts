/** Lint without importing: every issue of a file, and a single UNPARSABLE issue for a file that cannot be imported. */
import { prepareArticle } from './prepare';
import { ContentError, ContentIssue, PrepareOptions, SourceFile } from './types';

export function lintSource(source: SourceFile, options: PrepareOptions): ContentIssue[] {
  try {
    return prepareArticle(source, options).contentIssues;
  } catch (err) {
    if (err instanceof ContentError) {
      return [{ file: err.file, line: err.line, code: 'UNPARSABLE', message: err.message }];
    }
    throw err;
  }
}
