import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('ImportFailure', { description: 'A file that could not be imported at all; nothing of it was stored.' })
export class ImportFailure {
  @Field({ description: 'Path of the file, as it was sent.' })
  file: string;

  @Field(() => Int, { description: 'Line of the file the failure is about, from 1 (1 when it is about the whole file).' })
  line: number;

  @Field({ description: 'What is wrong, in English, for people.' })
  message: string;
}

@ObjectType('ImportWarning', { description: 'Something an editor may want to fix in a file that was imported all the same.' })
export class ImportWarning {
  @Field({ description: 'Path of the file, as it was sent.' })
  file: string;

  @Field(() => Int, { description: 'Line of the file the warning is about (1 when it is about the whole file).' })
  line: number;

  @Field({ description: 'What kind of warning: `DATE_UNREADABLE`, `DATE_AMBIGUOUS`, `NO_DATE`, `SLUG_TAKEN`, … (the codes of `lintMarkdown`).' })
  code: string;

  @Field({ description: 'What was found, in English, for people.' })
  message: string;
}

@ObjectType('ImportSummary', { description: 'What an import did, file by file: the same as `kiji import --json`.' })
export class ImportSummary {
  @Field(() => Int, { description: 'Files that became new posts (or new pages: see `pages`).' })
  imported: number;

  @Field(() => Int, { description: 'Files whose post (or page) changed (a file keeps its post or page across imports by its `path`).' })
  updated: number;

  @Field(() => Int, { description: 'Files whose post (or page) was already what the file says: nothing was written for them.' })
  unchanged: number;

  @Field(() => Int, {
    description:
      'How many of the files counted in `imported`, `updated` and `unchanged` are pages (`layout: page` outside `_posts`, or in a ' +
      '`pages/` folder), which `page`/`pages` serve, not posts.',
  })
  pages: number;

  @Field(() => [ImportFailure], { description: 'Files that could not be imported, each with why.' })
  failed: ImportFailure[];

  @Field(() => [ImportWarning], { description: 'Things to look at in files that were imported all the same.' })
  warnings: ImportWarning[];
}
