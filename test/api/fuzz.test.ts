import path from 'node:path';
import { fuzzRequests, loadOperations } from '../fuzz/generate';
import { runFuzz } from '../fuzz/send';
import { describeEachDatabase } from '../support/databases';
import { READ_FIXTURE, writeFixtureFolder } from '../support/fixtures';
import { LogCapture } from '../support/log-capture';
import { startTestServer, TestServer } from '../support/server';

/*
 * A small run of `npm run fuzz` (which sends 10,000): generated malformed and random requests,
 * GraphQL documents mutated from the committed operations, odd headers, methods and paths. Every
 * one must get an answer, in JSON, without a 5xx, an internal error or a leak.
 */
describeEachDatabase('fuzz', (kind) => {
  let server: TestServer;
  const logs = new LogCapture();
  beforeAll(async () => {
    server = await startTestServer(kind, { logDestination: logs });
    await server.importPaths([writeFixtureFolder(READ_FIXTURE)]);
  });
  afterAll(() => server?.stop());

  it('answers 500 generated hostile requests with JSON, no 5xx and nothing internal', async () => {
    const { secret } = await server.services.keys.create('editor', 'fuzz');
    const operations = loadOperations(path.resolve(__dirname, '..', '..'));
    const tally = await runFuzz(server.url, {
      requests: fuzzRequests(kind === 'sqlite' ? 11 : 12, operations, secret),
      count: 500,
      concurrency: 4,
      timeLimitMs: 50_000,
      requestTimeoutMs: 20_000,
    });
    const internal = logs.lines.filter((line) => line.msg === 'internal error').map((line) => JSON.stringify(line.err).slice(0, 300));
    expect({
      sent: tally.sent,
      serverErrors: tally.serverErrors,
      nonJson: tally.nonJson,
      internalErrors: tally.internalErrors,
      leaks: tally.leaks,
      noAnswer: tally.noAnswer,
      examples: tally.examples,
      internal,
    }).toEqual({ sent: 500, serverErrors: 0, nonJson: 0, internalErrors: 0, leaks: 0, noAnswer: 0, examples: [], internal: [] });
    // The run reached past the front door: some operations ran and answered data.
    expect(tally.byStatus['200']).toBeGreaterThan(10);
  });
});
