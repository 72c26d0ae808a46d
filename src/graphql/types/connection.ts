import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Page } from '../../services/shared';
import { PageInfo } from './PageInfo';

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionValue<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Evaluated only when a client selects `totalCount`: a COUNT is not free. */
  readonly totalCount: Promise<number>;
}

/** Builds the Relay `XConnection`/`XEdge` pair for a node type. */
export function connectionType<T extends object>(name: string, nodeType: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `One ${name} in a page of a list, with its place in the list.` })
  class EdgeType {
    @Field({
      description: `Opaque position of this ${name} in the list: pass it as \`after\` (or \`before\`) to read on from here. Meaningful only for the same list, filter and order.`,
    })
    cursor: string;

    @Field(() => nodeType, { description: `The ${name} itself.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of a list of ${name} objects: a Relay cursor connection, read on with the \`endCursor\` (or back with the \`startCursor\`) of its \`pageInfo\`.`,
  })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page, in list order; empty past the end.' })
    edges: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether there is more before or after this page, and the cursors of its ends.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'All items matching the arguments, not only this page.' })
    totalCount: number;
  }
  return ConnectionType;
}

/**
 * An edge whose cursor is written when it is read: a feed that selects no cursor (most do not)
 * encodes none, where encoding every row's cost a page of 20 posts 20 JSON texts and base64 copies.
 */
class LazyEdge<T> implements Edge<T> {
  private written: string | undefined;

  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => string,
  ) {}

  get cursor(): string {
    return (this.written ??= this.cursorOf(this.node));
  }
}

export function toConnection<T>(page: Page<T>, count: () => Promise<number>): ConnectionValue<T> {
  const edges = page.rows.map((node) => new LazyEdge(node, page.cursorOf));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
    get totalCount() {
      counted ??= count();
      return counted;
    },
  };
}
