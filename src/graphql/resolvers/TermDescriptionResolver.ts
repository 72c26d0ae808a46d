import { ClassType, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Category as CategoryEntity, Tag as TagEntity } from '../../entities';
import type { Context } from '../context';
import { withProfile } from '../term-profile';
import { Category, Tag } from '../types/Term';

/** `Tag.description` and `Category.description`: read again for terms that came inside their posts without it. */
function termDescriptionResolver(objectType: ClassType, plural: 'tags' | 'categories') {
  @Resolver(() => objectType)
  class TermDescriptionResolver {
    @FieldResolver(() => String, { nullable: true })
    async description(@Root() term: TagEntity | CategoryEntity, @Ctx() ctx: Context): Promise<string | null> {
      return (await withProfile(term, plural, ctx)).description;
    }
  }
  return TermDescriptionResolver;
}

export const TERM_DESCRIPTION_RESOLVERS = [termDescriptionResolver(Tag, 'tags'), termDescriptionResolver(Category, 'categories')];
