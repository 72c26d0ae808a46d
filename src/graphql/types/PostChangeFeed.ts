import { Field, ObjectType } from 'type-graphql';
import { PostChange } from './PostChange';

/** The type's name, which the query cost (plugins/query-cost.ts) counts as a page of `first` entries. */
export const POST_CHANGE_FEED = 'PostChangeFeed';

@ObjectType(POST_CHANGE_FEED, {
  description:
    'A page of the change feed, for partners who keep a copy of the public posts. Apply the entries in order, then ask again ' +
    'with `cursor`: at once while `hasMore` is true (after a moment if the page was empty), later when it is false.',
})
export class PostChangeFeed {
  @Field(() => [PostChange], { description: 'What changed, at most `first` entries and at most one per post, each with its state now.' })
  entries: PostChange[];

  @Field({
    description: 'Where this page ends: pass it as `after` next time (keep it between syncs; it never needs refreshing unless refused).',
  })
  cursor: string;

  @Field({
    description:
      'Whether more changes are ready now. When false, this copy holds exactly the public posts as of this answer. It can be true ' +
      'on a short or empty page while a change being committed is settled: ask again after a moment.',
  })
  hasMore: boolean;
}
