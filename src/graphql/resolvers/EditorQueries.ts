import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { lintSource } from '../../content';
import { requireEditor } from '../../services/access';
import type { Context } from '../context';
import { ContentIssue } from '../types/Post';

@Resolver()
export class EditorQueries {
  @Query(() => [ContentIssue], { description: 'Runs content lint on a Markdown file (front matter and body); stores nothing.' })
  lintMarkdown(
    @Arg('markdown') markdown: string,
    @Arg('path', { defaultValue: 'untitled.md', description: 'Used in the issues, and for a date or slug in the name.' }) path: string,
    @Ctx() ctx: Context,
  ): ContentIssue[] {
    requireEditor(ctx.viewer);
    return lintSource({ path, text: markdown }, { postUrl: ctx.services.postUrl, timeZone: ctx.services.config.timeZone });
  }
}
