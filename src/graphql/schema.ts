import fs from 'node:fs';
import path from 'node:path';
import { GraphQLInterfaceType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, BuildSchemaOptions } from 'type-graphql';
import { SCHEMA_FILE } from '../paths';
import { callFieldResolversDirectly } from './direct-field-resolvers';
import { RESOLVERS } from './resolvers';
import { nodeTypeName } from './types/Node';
import { describeRootTypes } from './types/root-types';

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function kijiSchema(): Promise<GraphQLSchema> {
  const options = {
    resolvers: [...RESOLVERS] as never,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    validate: false,
  } satisfies BuildSchemaOptions;
  built ??= buildSchema(options).then((schema) => {
    // type-graphql wraps resolveType in an async function; the compiled executor needs the
    // synchronous one (it is synchronous anyway).
    (schema.getType('Node') as GraphQLInterfaceType).resolveType = nodeTypeName;
    callFieldResolversDirectly(schema, options);
    describeRootTypes(schema);
    return schema;
  });
  return built;
}

/** The SDL committed in `schema/schema.graphql`: sorted, so its diff shows only real changes. */
export async function schemaSdl(): Promise<string> {
  const header = '# Emitted from the code by `npm run schema:emit`; do not edit. CI fails when it is stale.\n\n';
  return header + printSchema(lexicographicSortSchema(await kijiSchema())) + '\n';
}

export function writeSchemaFile(sdl: string, file: string = SCHEMA_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sdl);
}
