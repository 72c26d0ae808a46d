import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildClientSchema, buildSchema, type IntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';
import { PROJECT_ROOT } from '../../src/paths';
import { ClientArchive, FULL_INTROSPECTION, startClientArchive } from '../support/clients';

/**
 * Tools that load the schema from the running server's URL (graphql-codegen, GraphiQL, IDE plugins,
 * Postman) send graphql-js's introspection query; what they get must be the whole schema, the same
 * one that is committed as schema/schema.graphql.
 */

const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema/schema.graphql');

/**
 * The one difference codegen makes between the two: it writes a custom scalar's description only
 * when the scalar came from SDL (visitor-plugin-common reads `scalarType.astNode`), although
 * introspection serves it (the test above compares descriptions).
 */
function withoutScalarComments(generated: string): string {
  return generated.replace(/^export type Scalars = \{\n[\s\S]*?\n\};$/m, (block) => block.replace(/^ {2}\/\*\*.*\*\/\n/gm, ''));
}

describe('schema from the URL', () => {
  let archive: ClientArchive;
  let dir: string;

  beforeAll(async () => {
    archive = await startClientArchive();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-codegen-'));
  });
  afterAll(async () => {
    await archive?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers graphql-js's full introspection query with the committed schema, descriptions and all", async () => {
    const response = await fetch(archive.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FULL_INTROSPECTION, operationName: 'IntrospectionQuery' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: IntrospectionQuery; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const served = buildClientSchema(body.data!);
    const committed = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));
    expect(printSchema(lexicographicSortSchema(served))).toBe(printSchema(lexicographicSortSchema(committed)));
    // What GraphiQL and IDE plugins show on hover: the types are described (printSchema above compares every description).
    for (const type of ['Post', 'PageInfo', 'Node']) expect(served.getType(type)?.description).toBeTruthy();
  });

  it('generates the same typed operations from the URL as from schema/schema.graphql', async () => {
    const plugins = ['typescript', 'typescript-operations', 'typed-document-node'];
    const output = (name: string) => path.join(dir, name);
    const config = {
      documents: path.join(PROJECT_ROOT, 'test/api/operations/**/*.graphql'),
      generates: {
        [output('from-url.ts')]: { schema: archive.url, plugins },
        [output('from-file.ts')]: { schema: SCHEMA_FILE, plugins },
      },
      config: { enumsAsTypes: true, useTypeImports: true, scalars: { DateTime: 'string', ID: 'string' } },
    };
    fs.writeFileSync(output('codegen.json'), JSON.stringify(config, null, 2));
    // The CLI as users run it (its programmatic API needs ES modules, which Jest's CommonJS cannot
    // load), from the project root where it finds its plugins; asynchronously, since the server
    // answering it runs in this process.
    await promisify(execFile)(path.join(PROJECT_ROOT, 'node_modules/.bin/graphql-codegen'), ['--config', output('codegen.json')], { cwd: PROJECT_ROOT }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`graphql-codegen failed:\n${error.stdout}\n${error.stderr}`);
      },
    );
    const fromUrl = fs.readFileSync(output('from-url.ts'), 'utf8');
    const post = /^export type Post = .*\{\n([\s\S]*?)\n\};$/m.exec(fromUrl)?.[1];
    expect(post).toMatch(/^ {2}slug: Scalars\['String'\]\['output'\];$/m);
    for (const field of ['id', 'title', 'publishedAt', 'author', 'tags', 'bodyHtml']) expect(post).toMatch(new RegExp(`^ {2}${field}\\??: `, 'm'));
    expect(fromUrl).toContain('export const FeedDocument =');
    expect(fromUrl).toBe(withoutScalarComments(fs.readFileSync(output('from-file.ts'), 'utf8')));
  });
});
