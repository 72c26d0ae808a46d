import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, FragmentDefinitionNode, getIntrospectionQuery, Kind, OperationDefinitionNode, parse } from 'graphql';
import { INTROSPECTION_COST, LIST_SIZE, memoizedOperationCost, operationCost, SEARCH_COST } from '../../../src/graphql/plugins/query-cost';
import { shapeError, ShapeLimits } from '../../../src/graphql/plugins/query-shape';

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '../../../schema/schema.graphql'), 'utf8'));

function costOf(query: string, variables?: Record<string, unknown>): number {
  const document = parse(query, { maxTokens: 1_000_000 });
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return operationCost(schema, operation, fragments, variables);
}

/** `fragment F1 { ...F2 ...F2 } fragment F2 { ...F3 ...F3 } …`: 2^(levels-1) copies of the last fragment once expanded. */
function fanOut(levels: number, last = 'title'): string {
  const fragments = Array.from({ length: levels - 1 }, (_, i) => `fragment F${i + 1} on Post { ...F${i + 2} ...F${i + 2} }`);
  return `{ posts(first: 1) { edges { node { ...F1 } } } }\n${fragments.join('\n')}\nfragment F${levels} on Post { ${last} }`;
}

describe('operation cost', () => {
  it('counts each object a page may hold: the connection, then first × what each node selects', () => {
    // 1 for the connection, 20 × (the post + its author + 10 tags), edges free.
    expect(costOf('{ posts(first: 20) { edges { node { title author { name } tags { name } } } } }')).toBe(1 + 20 * (1 + 1 + LIST_SIZE));
  });

  it('takes 20 when neither first nor last is given, and last like first', () => {
    expect(costOf('{ posts { edges { node { title } } } }')).toBe(1 + 20);
    expect(costOf('{ posts(last: 7) { edges { node { title } } } }')).toBe(1 + 7);
  });

  it('counts a page too large for the resolver as the largest page', () => {
    expect(costOf('{ posts(first: 100000) { edges { node { title } } } }')).toBe(1 + 100);
  });

  it('reads first from the variables, and from the operation defaults when the variable is absent', () => {
    const query = 'query Feed($n: Int = 50) { posts(first: $n) { edges { node { title } } } }';
    expect(costOf(query, { n: 3 })).toBe(1 + 3);
    expect(costOf(query, {})).toBe(1 + 50);
  });

  it('multiplies nested lists: related(first) inside a page of posts', () => {
    // 1 + 100 × (post + 20 × (related entry + its post))
    expect(costOf('{ posts(first: 100) { edges { node { related(first: 20) { post { title } } } } } }')).toBe(1 + 100 * (1 + 20 * 2));
    // related's own default, 5
    expect(costOf('{ post(slug: "a") { related { post { title } } } }')).toBe(1 + 5 * 2);
  });

  it('counts a fragment on a connection with that connection page size', () => {
    const inline = costOf('{ posts(first: 100) { edges { node { related(first: 20) { post { title } } } } } }');
    expect(costOf('{ posts(first: 100) { ...Page } } fragment Page on PostConnection { edges { node { related(first: 20) { post { title } } } } }')).toBe(inline);
  });

  it('charges a search more than a plain page', () => {
    expect(costOf('{ posts(first: 1, filter: { query: "vim" }) { edges { node { title } } } }')).toBe(SEARCH_COST + 1);
  });

  it('costs introspection as answered from memory, whatever it selects', () => {
    expect(costOf(getIntrospectionQuery())).toBe(INTROSPECTION_COST);
  });

  it('costs each fragment once however often it is spread: a 40-level fan-out is counted, not expanded', () => {
    // 2^39 copies of `related { post }` (5 × 2 each) under one post: 1 + 1 + 2^39 × 10. An
    // expanding implementation would not finish this test.
    expect(costOf(fanOut(40, 'related { post { title } }'))).toBe(1 + 1 + 2 ** 39 * 10);
  });
});

describe('operation shape', () => {
  const limits: ShapeLimits = { maxAliases: 50, maxFields: 1000, maxPostListNesting: 3, maxRepeatedField: 20 };
  const refusal = (query: string) => shapeError(schema, parse(query, { maxTokens: 1_000_000 }), limits)?.extensions;

  it('lets ordinary pages and the standard introspection query through', () => {
    expect(refusal('{ posts(first: 20) { edges { node { title author { name } tags { name } related { post { title } } } } } }')).toBeUndefined();
    expect(refusal(getIntrospectionQuery())).toBeUndefined();
  });

  it('refuses a fan-out of fragments by its expanded size, measured without expanding it', () => {
    expect(refusal(fanOut(60))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', fields: Number.MAX_SAFE_INTEGER, limit: 1000 });
    // Small enough to expand: then refused for repeating `title` 2^9 times in one selection.
    expect(refusal(fanOut(10))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', repeatedField: 2 ** 9, limit: 20 });
    expect(refusal(fanOut(11))).toMatchObject({ code: 'QUERY_TOO_COMPLEX', fields: 2 ** 10 + 3, limit: 1000 });
  });

  it('refuses too many aliases', () => {
    const query = `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: post(slug: "x") { title }`).join(' ')} }`;
    expect(refusal(query)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', aliases: 51, limit: 50 });
  });

  it('counts aliases inside fragments at every spread', () => {
    const query = `{ post(slug: "x") { ${'...A '.repeat(6)} } } fragment A on Post { ${Array.from({ length: 9 }, (_, i) => `t${i}: title`).join(' ')} }`;
    expect(refusal(query)).toMatchObject({ aliases: 54, limit: 50 });
  });

  it('refuses lists of posts nested more than three deep, through fragments too', () => {
    const three = '{ posts(first: 1) { edges { node { related { post { related { post { title } } } } } } } }';
    expect(refusal(three)).toBeUndefined();
    const four = '{ posts(first: 1) { edges { node { ...R } } } } fragment R on Post { related { post { related { post { related { post { title } } } } } } }';
    expect(refusal(four)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', postListNesting: 4, limit: 3 });
  });

  it('refuses one field repeated many times in one selection, spread fragments included', () => {
    expect(refusal(`{ post(slug: "x") { ${'title '.repeat(21)} } }`)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', repeatedField: 21, limit: 20 });
    const spread = `{ post(slug: "x") { ${Array.from({ length: 21 }, (_, i) => `...F${i}`).join(' ')} } } ${Array.from({ length: 21 }, (_, i) => `fragment F${i} on Post { title }`).join(' ')}`;
    expect(refusal(spread)).toMatchObject({ repeatedField: 21 });
    expect(refusal(`{ post(slug: "x") { ${'title '.repeat(20)} } }`)).toBeUndefined();
  });
});

describe('remembered costs', () => {
  it('gives what operationCost gives for each request, however the variables change', () => {
    const document = parse(
      'query Page($n: Int = 20, $slug: String!, $filter: PostFilter) { post(slug: $slug) { title } posts(first: $n, filter: $filter) { edges { node { ...Card } } } } fragment Card on Post { title related(first: $n) { score } }',
    );
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    const requests: Record<string, unknown>[] = [
      { slug: 'a' },
      { slug: 'b', n: 5 },
      { slug: 'c', n: 5 },
      { slug: 'd', n: 100, filter: { query: 'vim' } },
      { slug: 'e', n: 100, filter: { tag: 'vim' } },
      { slug: 'f' },
    ];
    const costs = requests.map((variables) => memoizedOperationCost(schema, document, operation, fragments, variables));
    expect(costs).toEqual(requests.map((variables) => operationCost(schema, operation, fragments, variables)));
    expect(new Set(costs).size).toBe(4);
  });
});
