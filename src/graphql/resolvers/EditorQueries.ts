import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { lintSource } from '../../content';
import { requireEditor } from '../../services/access';
import type { Context } from '../context';
import { ContentIssue } from '../types/Post';

@Resolver()
export class EditorQueries {
  @Query(() => [ContentIssue], {
    description:
      'Runs content lint on a Markdown file (front matter and body): what the importer would repair or warn about, line by ' +
      'line; empty when the file is clean. Stores nothing. Editors and admins only.',
  })
  lintMarkdown(
    @Arg('markdown', { description: "The file's text: YAML front matter between `---` lines, then the Markdown body." }) markdown: string,
    @Arg('path', { defaultValue: 'untitled.md', description: 'Used in the issues, and for a date or slug in the name.' }) path: string,
    @Ctx() ctx: Context,
  ): ContentIssue[] {
    requireEditor(ctx.viewer);
    return lintSource({ path, text: markdown }, { postUrl: ctx.services.postUrl, timeZone: ctx.services.config.timeZone });
  }
}
