import http from 'node:http';
import { createTestDatabase, describeEachDatabase, TestDatabase, databaseUrlOf } from '../support/databases';
import { getJson, KijiProcess, startKiji } from '../support/kiji-process';

/*
 * SIGTERM while 32 clients read as fast as they can over kept-alive connections: every request
 * that reached Kiji is answered, no connection is reset, and the process exits 0. Afterwards the
 * port refuses connections (that is how clients learn the instance is gone).
 *
 * A connection the client opens after the signal may be refused, or reset while it still waits in
 * the listener's queue: either way no request on it reached Kiji, and the client may retry it
 * elsewhere. Those count as refused; a reset is a request lost on a connection Kiji had answered on.
 */

const CLIENTS = 32;
// Uncached work, so that requests are in flight when the signal lands.
const QUERY = JSON.stringify({ query: '{ posts(first: 20) { edges { node { title excerpt tags { name } author { name } } } } }' });

interface Tally {
  answered: number;
  notOk: string[];
  refused: number;
  /** Of `refused`: connections reset while still waiting in the listener's queue. */
  resetInQueue: number;
  reset: string[];
}

/** A POST on the agent's kept-alive connections; failures say whether their connection had been answered on before. */
function post(url: string, agent: http.Agent): Promise<{ status: number; body: { data?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { data?: unknown } }));
      res.on('error', (error) => reject(Object.assign(error, { answeredOn: true })));
    });
    req.on('error', (error) => reject(Object.assign(error, { answeredOn: req.reusedSocket })));
    req.end(QUERY);
  });
}

/** One client: requests back to back until the server refuses its connection. */
async function client(url: string, agent: http.Agent, tally: Tally, stopAt: number): Promise<void> {
  while (Date.now() < stopAt) {
    try {
      const { status, body } = await post(url, agent);
      tally.answered += 1;
      if (status !== 200 || !body.data) tally.notOk.push(`${status} ${JSON.stringify(body).slice(0, 200)}`);
    } catch (error) {
      const { code, message, answeredOn } = error as NodeJS.ErrnoException & { answeredOn?: boolean };
      if (code === 'ECONNREFUSED' || (code === 'ECONNRESET' && !answeredOn)) {
        tally.refused += 1;
        if (code === 'ECONNRESET') tally.resetInQueue += 1;
      } else tally.reset.push(`${code} ${message}`);
      return;
    }
  }
}

describeEachDatabase('SIGTERM under load', (kind) => {
  let database: TestDatabase;
  let kiji: KijiProcess;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const url = databaseUrlOf(database);
    // One address sends all the load here: the per-address rate limit is not what is tested.
    kiji = await startKiji('start', { DATABASE_URL: url, KIJI_RESPONSE_CACHE: 'off', KIJI_RATE_LIMIT_ANONYMOUS: '0', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await kiji?.kill();
    await database?.drop();
  });

  it('answers every request in flight, resets no connection, and exits 0', async () => {
    const tally: Tally = { answered: 0, notOk: [], refused: 0, resetInQueue: 0, reset: [] };
    const stopAt = Date.now() + 20_000;
    const agent = new http.Agent({ keepAlive: true });
    const clients = Array.from({ length: CLIENTS }, () => client(kiji.graphql, agent, tally, stopAt));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answeredBeforeSignal = tally.answered;
    kiji.signal('SIGTERM');
    const code = await kiji.exited;
    await Promise.all(clients);
    agent.destroy();
    process.stderr.write(
      `[${kind}] SIGTERM under load: ${tally.answered} answered (${answeredBeforeSignal} before the signal), ${tally.refused} refused (${tally.resetInQueue} of them reset in the listener's queue), ${tally.reset.length} reset, exit ${code}\n`,
    );

    expect(answeredBeforeSignal).toBeGreaterThan(CLIENTS);
    expect(tally.reset).toEqual([]);
    expect(tally.notOk).toEqual([]);
    // Every client ended on a refused connection, not on an error mid-request.
    expect(tally.refused).toBe(CLIENTS);
    expect(code).toBe(0);
    await expect(getJson(`${kiji.base}/health/live`)).rejects.toThrow();
  });
});
