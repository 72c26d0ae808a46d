import { QueryFailedError } from 'typeorm';
import { createLogger, REDACTED } from '../../../src/log';
import { insertEndpoint } from '../../../src/services/webhooks/statements';
import { describeEachDatabase } from '../../support/databases';
import { LogCapture } from '../../support/log-capture';
import { startTestServer, TEST_NOW, TestServer } from '../../support/server';

/*
 * A failed statement's parameters never reach the log: they are the values written, and for a
 * webhook endpoint one of them is its signing secret. graphql/errors.ts logs unexpected errors
 * with `{ err }`, and pino's error serializer copies every property of an error.
 */

const SECRET = 'whsec_c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw==';

describeEachDatabase('secrets in logs', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  it("logs a failed insert of an endpoint with its SQL and message but without the statement's parameters", async () => {
    const endpoint = {
      id: 'ep_twice',
      url: 'https://example.com/hook',
      events: ['post.published' as const],
      secret: SECRET,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
      createdAt: TEST_NOW,
    };
    await server.dataSource.transaction((m) => insertEndpoint(m, endpoint));
    const error = await server.dataSource.transaction((m) => insertEndpoint(m, endpoint)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    // The error does carry the secret: what is checked is that the log line does not.
    expect(JSON.stringify((error as QueryFailedError).parameters)).toContain(SECRET);

    const capture = new LogCapture();
    createLogger('info', capture).error({ err: error }, 'internal error');
    expect(capture.lines).toHaveLength(1);
    const [line] = capture.lines;
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line.err).toMatchObject({ type: 'QueryFailedError', parameters: REDACTED });
    expect((line.err as { message: string }).message).toBeTruthy();
    expect((line.err as { query: string }).query).toContain('webhook_endpoints');
  });
});

describe('error parameters in logs', () => {
  it('redacts `parameters` of any error, and of its driver error and cause', () => {
    const driverError = Object.assign(new Error('driver said no'), { parameters: [SECRET] });
    const cause = Object.assign(new Error('underneath'), { parameters: { secret: SECRET } });
    const error = Object.assign(new Error('outer', { cause }), { parameters: [SECRET], driverError, code: 'E_SOMETHING' });
    const capture = new LogCapture();
    const logger = createLogger('info', capture);
    logger.child({ requestId: 'r1' }).warn({ err: error }, 'failed');
    const [line] = capture.lines;
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect((line.err as { message: string }).message).toContain('outer');
    expect(line.err).toMatchObject({
      code: 'E_SOMETHING',
      parameters: REDACTED,
      driverError: { message: 'driver said no', parameters: REDACTED },
    });
  });

  it('redacts, and keeps the message of, an error carried by an `err` that is not an error itself', () => {
    const driverError = Object.assign(new Error('driver said no'), { parameters: [SECRET] });
    const capture = new LogCapture();
    createLogger('info', capture).warn({ err: { driverError } }, 'failed');
    const [line] = capture.lines;
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line.err).toMatchObject({ driverError: { message: 'driver said no', parameters: REDACTED } });
  });
});
