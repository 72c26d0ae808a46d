import type { GatewayExecutor } from '@apollo/server-gateway-interface';
import { buildSchema, execute, GraphQLEnumType, GraphQLSchema, OperationDefinitionNode, parse } from 'graphql';
import { compiledExecution, hasVariableInsideLiteral } from '../../../src/http/jit-executor';

/*
 * graphql-jit's own variable coercion answers differently from graphql-js (input-field defaults
 * ignored, a variable inside a literal argument read as null). The executor must give graphql-js's
 * answer for every one of these, on a schema small enough to see why.
 */

function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    enum Colour { RED GREEN }
    input Draft { title: String! tags: [String!]! = [] count: Int = 3 colour: Colour = RED note: String }
    type Query { echo(draft: Draft!): String  list(ids: [Int!] = [9]): String  maybe(draft: Draft): String }
  `);
  const echo = (_: unknown, args: unknown) => JSON.stringify(args);
  for (const field of Object.values(schema.getQueryType()!.getFields())) field.resolve = echo;
  return schema;
}

const CASES: [string, string, Record<string, unknown>][] = [
  ['input-field defaults', 'query ($d: Draft!) { echo(draft: $d) }', { d: { title: 'x' } }],
  ['a list from a single value', 'query ($d: Draft!) { echo(draft: $d) }', { d: { title: 'x', tags: 'solo' } }],
  ['null for a non-null input field', 'query ($d: Draft!) { echo(draft: $d) }', { d: { title: 'x', tags: null } }],
  ['null for a nullable input field', 'query ($d: Draft!) { echo(draft: $d) }', { d: { title: 'x', note: null } }],
  ['a variable default', 'query ($d: Draft! = { title: "d" }) { echo(draft: $d) }', {}],
  ['an absent variable and an argument default', 'query ($l: [Int!]) { list(ids: $l) }', {}],
  ['a null variable and an argument default', 'query ($l: [Int!]) { list(ids: $l) }', { l: null }],
  ['an absent nullable input', 'query ($d: Draft) { maybe(draft: $d) }', {}],
  ['an absent variable inside a literal', 'query ($t: String) { echo(draft: { title: $t }) }', {}],
  ['an absent list variable inside a literal', 'query ($t: [String!]) { echo(draft: { title: "x", tags: $t }) }', {}],
  ['a null list variable inside a literal', 'query ($t: [String!]) { echo(draft: { title: "x", tags: $t }) }', { t: null }],
  ['variables inside a literal list', 'query ($a: Int, $b: Int) { list(ids: [$a, $b]) }', { a: 1 }],
  ['an enum variable', 'query ($c: Colour) { echo(draft: { title: "x", colour: $c }) }', { c: 'GREEN' }],
  ['an unknown enum value', 'query ($c: Colour) { echo(draft: { title: "x", colour: $c }) }', { c: 'BLUE' }],
];

describe('graphql-jit executor', () => {
  const schema = testSchema();
  let executor: GatewayExecutor;
  beforeAll(async () => {
    executor = (await compiledExecution(schema).load({ apollo: {} })).executor!;
  });

  const run = (query: string, variables: Record<string, unknown>) => {
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    return executor({ document, operation, request: { query, variables }, context: {} } as never);
  };

  it.each(CASES)('answers as graphql-js does: %s', async (_name, query, variables) => {
    const expected = await execute({ schema, document: parse(query), variableValues: variables });
    const answer = await run(query, variables);
    expect(JSON.parse(JSON.stringify(answer))).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('runs documents on graphql-js when an enum is not named as its value (it would not coerce twice)', async () => {
    const colour = schema.getType('Colour') as GraphQLEnumType;
    const value = colour.getValue('GREEN')!;
    value.value = 2;
    try {
      const query = 'query ($d: Draft!) { echo(draft: $d) }';
      const variables = { d: { title: 'x', colour: 'GREEN' } };
      const expected = await execute({ schema, document: parse(query), variableValues: variables });
      expect(expected.errors).toBeUndefined();
      expect(JSON.stringify(await run(query, variables))).toBe(JSON.stringify(expected));
    } finally {
      value.value = 'GREEN';
    }
  });
});

describe('variables inside literal arguments', () => {
  it.each([
    ['{ echo(draft: { title: $t }) }', true],
    ['{ list(ids: [$a]) }', true],
    ['query { ...F } fragment F on Query { echo(draft: { title: "x", tags: [$t] }) }', true],
    ['{ list(ids: $l) }', false],
    ['{ echo(draft: { title: "x" }) @include(if: $b) }', false],
    ['{ list(ids: [1, 2]) }', false],
  ])('%s: %p', (query, expected) => {
    expect(hasVariableInsideLiteral(parse(query, { noLocation: true }))).toBe(expected);
  });
});
