import { serverAudits } from 'graphql-http';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';

/*
 * The GraphQL-over-HTTP audit suite from graphql-http, against the real server: clients built
 * on any spec-following library must be able to talk to Kiji.
 */
describeEachDatabase('GraphQL over HTTP audits', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  it('passes every MUST audit', async () => {
    const results = await Promise.all(serverAudits({ url: server.url, fetchFn: fetch }).map((audit) => audit.fn()));
    const tally = { ok: 0, warn: 0, notice: 0, error: 0 };
    for (const r of results) tally[r.status] += 1;
    process.stderr.write(`[${kind}] graphql-http audits: ${JSON.stringify(tally)}\n`);
    const mustFailures = results.filter((r) => r.name.startsWith('MUST') && r.status === 'error').map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(mustFailures).toEqual([]);
  });
});
