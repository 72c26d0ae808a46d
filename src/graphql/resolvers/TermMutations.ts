import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Author as AuthorEntity, Category as CategoryEntity, Tag as TagEntity } from '../../entities';
import { badInput, fromGlobalId, NodeType } from '../../services/shared';
import type { TermRef } from '../../services/terms';
import type { Context } from '../context';
import { AuthorInput } from '../types/AuthorInput';
import { TermInput } from '../types/TermInput';
import { Author, Category, Tag } from '../types/Term';
import { slugOrId } from './lookup';

/** `slug` or `id` (a global ID of the right type), exactly one, as the single-object queries take them. */
function termRef(slug: string | null | undefined, id: string | null | undefined, type: Extract<NodeType, 'Author' | 'Tag' | 'Category'>): TermRef {
  const given = slugOrId(slug, id);
  if ('slug' in given) return given;
  // Unlike a lookup (null), a write names what it changes: an ID of another type is a mistake to report.
  const ref = fromGlobalId(given.id, 'id');
  if (ref.type !== type) throw badInput(`\`id\` is not the ID of ${type === 'Author' ? 'an author' : `a ${type.toLowerCase()}`}`, { argument: 'id' });
  return { id: ref.id };
}

const SLUG = (kind: string) => `The ${kind}'s slug, exactly as its \`slug\` field gives it; NOT_FOUND when there is none. Give \`slug\` or \`id\`, not both.`;
const ID_OF = (kind: string) => `The ${kind}'s global ID (its \`id\`); NOT_FOUND when there is none, BAD_USER_INPUT when it is another type's.`;
const RULES =
  'Editors and admins only (UNAUTHENTICATED without a key, FORBIDDEN with another). Every field is checked before anything is written ' +
  '(BAD_USER_INPUT naming `input.<field>` and its limit); the slug never changes, and cached answers show the change at once.';

/** Editors' changes to authors' profiles and to tags' and categories' names and descriptions. */
@Resolver()
export class TermMutations {
  @Mutation(() => Author, { description: `Changes an author's profile: name, bio, avatar, links. ${RULES}` })
  updateAuthor(
    @Arg('slug', () => String, { nullable: true, description: SLUG('author') }) slug: string | null,
    @Arg('id', () => ID, { nullable: true, description: ID_OF('author') }) id: string | null,
    @Arg('input', () => AuthorInput, { description: 'The fields to change.' }) input: AuthorInput,
    @Ctx() ctx: Context,
  ): Promise<AuthorEntity> {
    return ctx.services.termWriter.updateAuthor(ctx.viewer, termRef(slug, id, 'Author'), input);
  }

  @Mutation(() => Tag, { description: `Changes a tag's name or description. ${RULES}` })
  updateTag(
    @Arg('slug', () => String, { nullable: true, description: SLUG('tag') }) slug: string | null,
    @Arg('id', () => ID, { nullable: true, description: ID_OF('tag') }) id: string | null,
    @Arg('input', () => TermInput, { description: 'The fields to change.' }) input: TermInput,
    @Ctx() ctx: Context,
  ): Promise<TagEntity> {
    return ctx.services.termWriter.updateTag(ctx.viewer, termRef(slug, id, 'Tag'), input);
  }

  @Mutation(() => Category, { description: `Changes a category's name or description. ${RULES}` })
  updateCategory(
    @Arg('slug', () => String, { nullable: true, description: SLUG('category') }) slug: string | null,
    @Arg('id', () => ID, { nullable: true, description: ID_OF('category') }) id: string | null,
    @Arg('input', () => TermInput, { description: 'The fields to change.' }) input: TermInput,
    @Ctx() ctx: Context,
  ): Promise<CategoryEntity> {
    return ctx.services.termWriter.updateCategory(ctx.viewer, termRef(slug, id, 'Category'), input);
  }
}
