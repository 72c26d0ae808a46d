import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('ImportFailure')
export class ImportFailure {
  @Field()
  file: string;

  @Field(() => Int)
  line: number;

  @Field()
  message: string;
}

@ObjectType('ImportWarning', { description: 'Something an editor may want to fix in a file that was imported all the same.' })
export class ImportWarning {
  @Field()
  file: string;

  @Field(() => Int, { description: 'Line of the file the warning is about (1 when it is about the whole file).' })
  line: number;

  @Field({ description: 'What kind of warning: `DATE_UNREADABLE`, `DATE_AMBIGUOUS`, `NO_DATE`, `SLUG_TAKEN`, … (the codes of `lintMarkdown`).' })
  code: string;

  @Field()
  message: string;
}

@ObjectType('ImportSummary', { description: 'What an import did, file by file: the same as `kiji import --json`.' })
export class ImportSummary {
  @Field(() => Int)
  imported: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => [ImportFailure])
  failed: ImportFailure[];

  @Field(() => [ImportWarning])
  warnings: ImportWarning[];
}
