import fs from 'node:fs';
import { schemaSdl } from '../../src/graphql/schema';
import { SCHEMA_FILE } from '../../src/paths';

describe('schema/schema.graphql', () => {
  it('is what the code emits (run `npm run schema:emit` and commit it)', async () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(await schemaSdl());
  });
});
