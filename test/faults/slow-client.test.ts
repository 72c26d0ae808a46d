import net from 'node:net';
import { createTestDatabase, TestDatabase } from '../support/databases';
import { graphqlPost, KijiProcess, startKiji } from '../support/kiji-process';
import { anyString } from '../support/matchers';

/*
 * Clients that send a request a byte at a time (slowloris) are cut off once their time to send it
 * (KIJI_RECEIVE_TIMEOUT_MS) is over, with a JSON 408, while other clients are answered as usual.
 */

const RECEIVE_MS = 1000;
// The time to send, plus Node's check once a second, plus slack for a loaded machine.
const CUT_OFF_WITHIN_MS = RECEIVE_MS + 2500;

/** Opens a connection, writes `head`, then one byte of `dribble` every 200 ms until the server closes it. */
function dribble(port: number, head: string, drip: string): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent < drip.length && socket.writable) socket.write(drip[sent++]);
      }, 200);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined); // a reset after the answer is fine
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: performance.now() - started });
    });
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the slow connection open'));
    }, 30_000).unref();
  });
}

describe('slow clients', () => {
  let database: TestDatabase;
  let kiji: KijiProcess;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    kiji = await startKiji('start', { DATABASE_URL: `sqlite:${database.config.type === 'sqlite' ? database.config.path : ''}`, KIJI_RECEIVE_TIMEOUT_MS: String(RECEIVE_MS) });
    port = Number(new URL(kiji.base).port);
  });
  afterAll(async () => {
    await kiji?.kill();
    await database?.drop();
  });

  it('cuts off a body sent a byte at a time, with a JSON 408, and answers others meanwhile', async () => {
    const body = JSON.stringify({ query: '{ posts(first: 1) { totalCount } }' });
    const head = `POST /graphql HTTP/1.1\r\nHost: kiji\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const slow = dribble(port, head, body);
    const other = await graphqlPost(kiji.graphql, '{ posts(first: 1) { totalCount } }');
    expect(other.status).toBe(200);
    const { answer, ms } = await slow;
    expect(ms).toBeLessThan(CUT_OFF_WITHIN_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ errors: [{ message: anyString(), extensions: { code: 'REQUEST_TIMEOUT' } }] });
  });

  it('cuts off headers sent a byte at a time', async () => {
    const { answer, ms } = await dribble(port, 'GET /health/live HTTP/1.1\r\n', 'X-Slow: ' + 'a'.repeat(100));
    expect(ms).toBeLessThan(CUT_OFF_WITHIN_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});
