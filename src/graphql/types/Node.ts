import { Field, ID, InterfaceType } from 'type-graphql';
import { Author, Category, Post, Tag } from '../../entities';

/** The GraphQL type of an entity behind the Node interface. */
export function nodeTypeName(value: unknown): string | undefined {
  if (value instanceof Post) return 'Post';
  if (value instanceof Author) return 'Author';
  if (value instanceof Tag) return 'Tag';
  if (value instanceof Category) return 'Category';
  return undefined;
}

/** Relay's Node: every object with a global ID can be fetched again with `node(id)`. */
@InterfaceType('Node', { resolveType: nodeTypeName })
export abstract class Node {
  @Field(() => ID, { description: 'Global, opaque ID; pass it to `node(id:)`.' })
  id: string;
}
