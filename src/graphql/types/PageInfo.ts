import { Field, ObjectType } from 'type-graphql';

@ObjectType('PageInfo', {
  description: 'Where a page of a connection sits in its list (Relay PageInfo): whether there is more, and the cursors of its ends.',
})
export class PageInfo {
  @Field({
    description: 'True when items follow this page. Reading forwards (`first`), that is exact; reading backwards (`last`), it is true when `before` was given.',
  })
  hasNextPage: boolean;

  @Field({
    description: 'True when items precede this page. Reading backwards (`last`), that is exact; reading forwards (`first`), it is true when `after` was given.',
  })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page (pass it as `before`); null when the page is empty.' })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page (pass it as `after`); null when the page is empty.' })
  endCursor: string | null;
}
