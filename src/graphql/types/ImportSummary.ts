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

@ObjectType('ImportWarning')
export class ImportWarning {
  @Field()
  file: string;

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
