import http from 'node:http';
import { leakIn } from '../support/raw-http';
import type { FuzzRequest } from './generate';

/**
 * Sends fuzz requests to a server and checks every answer against the house rule: GraphQL JSON
 * (or, for /health, JSON), no 5xx, no stack, path, SQL, host or port in an error.
 */

export interface FuzzTally {
  sent: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  /** Answers with status 500 or above. */
  serverErrors: number;
  /** Answers that are not JSON (by content type, or a body that does not parse). */
  nonJson: number;
  /** Errors carrying INTERNAL_SERVER_ERROR, whatever the status (a resolver's can come with 200). */
  internalErrors: number;
  /** Errors whose text shows something internal. */
  leaks: number;
  /** Requests Node's own client refused to send (e.g. a header it considers invalid). */
  unsendable: number;
  /** No answer: the connection broke or the per-request bound passed. */
  noAnswer: number;
  /** A few offending answers, to show in the report. */
  examples: string[];
}

export function emptyTally(): FuzzTally {
  return { sent: 0, byStatus: {}, byKind: {}, serverErrors: 0, nonJson: 0, internalErrors: 0, leaks: 0, unsendable: 0, noAnswer: 0, examples: [] };
}

interface Answer {
  status: number;
  type: string;
  body: string;
}

type Outcome = Answer | 'unsendable' | { noAnswer: string };

function send(base: URL, request: FuzzRequest, agent: http.Agent, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      const target = { host: base.hostname, port: base.port, path: request.path };
      // Node sends a DELETE or OPTIONS body with no length at all (the server would read it as the next request).
      const headers = request.body ? { ...request.headers, 'content-length': String(request.body.length) } : request.headers;
      req = http.request({ ...target, method: request.method, headers, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString() }));
        res.on('error', (error) => resolve({ noAnswer: error.message }));
      });
    } catch {
      resolve('unsendable'); // invalid header characters and the like: never left this process
      return;
    }
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ noAnswer: error.message }));
    req.end(request.body);
  });
}

function check(request: FuzzRequest, answer: Answer, tally: FuzzTally): void {
  tally.byStatus[answer.status] = (tally.byStatus[answer.status] ?? 0) + 1;
  const problems: string[] = [];
  if (answer.status >= 500) {
    tally.serverErrors += 1;
    problems.push(`status ${answer.status}`);
  }
  let parsed: { errors?: unknown } | undefined;
  const bodiless = request.method === 'HEAD' || answer.status === 204 || answer.status === 304;
  if (request.method === 'OPTIONS' && answer.status === 204 && !answer.body) {
    // A CORS preflight, answered with headers only.
  } else if (isExplorerPage(request, answer)) {
    // The page is HTML by design: what must not be in it is the rest (paths, SQL, hosts).
    const leak = leakIn(answer.body.replace(/<!doctype html>|<html\b/gi, ''));
    if (leak) {
      tally.leaks += 1;
      problems.push(`leak in the explorer page: ${leak}`);
    }
  } else if (!/^application\/(graphql-response\+)?json\b/.test(answer.type)) {
    tally.nonJson += 1;
    problems.push(`content-type ${answer.type || 'none'}`);
  } else if (!bodiless) {
    try {
      parsed = JSON.parse(answer.body) as { errors?: unknown };
    } catch {
      tally.nonJson += 1;
      problems.push('body is not JSON');
    }
  }
  if (parsed?.errors) {
    const errors = JSON.stringify(parsed.errors);
    if (errors.includes('"INTERNAL_SERVER_ERROR"')) {
      tally.internalErrors += 1;
      problems.push('INTERNAL_SERVER_ERROR');
    }
    const leak = leakIn(errors);
    if (leak) {
      tally.leaks += 1;
      const at = errors.indexOf(leak);
      problems.push(`leak ${JSON.stringify(errors.slice(Math.max(0, at - 100), at + 60))}`);
    }
  }
  if (problems.length > 0 && tally.examples.length < 12) tally.examples.push(`${problems.join(', ')} ← ${describe(request)} → ${answer.body.slice(0, 200)}`);
}

/** The explorer, GET /graphql's answer to a browser: the one HTML Kiji serves, from its own files. */
function isExplorerPage(request: FuzzRequest, answer: Answer): boolean {
  const path = request.path.split('?')[0];
  return (
    request.method === 'GET' &&
    (path === '/graphql' || path === '/graphql/') &&
    answer.status === 200 &&
    answer.type.startsWith('text/html') &&
    answer.body.startsWith('<!doctype html>') &&
    answer.body.includes('Content-Security-Policy')
  );
}

function describe(request: FuzzRequest): string {
  const body = request.body ? `${request.body.length} bytes ${JSON.stringify(request.body.subarray(0, 120).toString())}` : 'no body';
  return `${request.kind}: ${request.method} ${request.path.slice(0, 80)} ${JSON.stringify(request.headers).slice(0, 200)} ${body}`;
}

export interface FuzzRun {
  requests: Iterator<FuzzRequest>;
  count: number;
  concurrency: number;
  /** Stop sending once this much time has passed (a bound on the run). */
  timeLimitMs: number;
  /** Bound on one request. */
  requestTimeoutMs: number;
  /** Called after every answer with the number sent so far. */
  progress?: (sent: number) => void | Promise<void>;
}

export async function runFuzz(url: string, run: FuzzRun, tally: FuzzTally = emptyTally()): Promise<FuzzTally> {
  const base = new URL(url);
  // A connection per request: a reset is then the server's doing, never a keep-alive race in the client.
  const agent = new http.Agent({ keepAlive: false, maxSockets: run.concurrency });
  const deadline = Date.now() + run.timeLimitMs;
  let next = 0;
  const worker = async () => {
    while (next < run.count && Date.now() < deadline) {
      next += 1;
      const { value: request } = run.requests.next() as IteratorYieldResult<FuzzRequest>;
      tally.byKind[request.kind] = (tally.byKind[request.kind] ?? 0) + 1;
      const answer = await send(base, request, agent, run.requestTimeoutMs);
      tally.sent += 1;
      if (answer === 'unsendable') tally.unsendable += 1;
      else if ('noAnswer' in answer) {
        tally.noAnswer += 1;
        if (tally.examples.length < 12) tally.examples.push(`no answer (${answer.noAnswer}) ← ${describe(request)}`);
      } else check(request, answer, tally);
      await run.progress?.(tally.sent);
    }
  };
  try {
    await Promise.all(Array.from({ length: run.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return tally;
}
