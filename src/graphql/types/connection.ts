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
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'All items matching the arguments, not only this page.' })
    totalCount: number;
  }
  return ConnectionType;
}

export function toConnection<T>(page: Page<T>, count: () => Promise<number>): ConnectionValue<T> {
  const edges = page.rows.map((node) => ({ cursor: page.cursorOf(node), node }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      counted ??= count();
      return counted;
    },
  };
}
