import { Field, InputType } from 'type-graphql';
import { TERM_LIMITS as LIMITS } from '../../services/terms';

@InputType('TermInput', {
  description: 'The fields of a tag or a category to change (`updateTag`, `updateCategory`). Absent fields stay as they are; null clears `description`.',
})
export class TermInput {
  @Field(() => String, { nullable: true, description: `The display name, 1 to ${LIMITS.name} characters (trimmed); it cannot be cleared. The slug stays.` })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `What it is about, plain text for its page, at most ${LIMITS.text.toLocaleString('en')} characters; null or empty clears it.`,
  })
  description?: string | null;
}
