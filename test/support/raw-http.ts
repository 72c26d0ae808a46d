import http from 'node:http';

/**
 * A request with exactly the method, headers and body given: `fetch` would fix up what a hostile
 * client sends as it is (content-length, encodings, methods, bodies on GET).
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string | undefined>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const target = new URL(options.path ?? '', url);
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: options.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What no answer may contain: stack frames, file paths, SQL, driver errors, hosts and ports, HTML pages. */
const LEAKS = [
  /\bat [\w.<>]+ \(|node_modules|\/work\/|\/home\/|\/tmp\/|\.[jt]s:\d/,
  /\b(SELECT|INSERT|UPDATE|DELETE FROM|FROM|WHERE)\b/,
  /sqlite|postgres|no such table|relation "[^"]*" does not exist|ECONN|127\.0\.0\.1|localhost|\[::1\]|<html|<!DOCTYPE/i,
];

export function leakIn(text: string): string | undefined {
  for (const pattern of LEAKS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return undefined;
}

/** A GraphQL answer as sent over HTTP; `TData` is what the test expects its operation to return. */
export interface GraphQLBody<TData = unknown> {
  data?: TData | null;
  errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
}

/** The GraphQL-over-HTTP error shape, parsed; throws (failing the test) on anything else. */
export function graphqlErrors(response: RawResponse): NonNullable<GraphQLBody['errors']> {
  const type = String(response.headers['content-type']);
  if (!/^application\/(graphql-response\+)?json\b/.test(type)) throw new Error(`not JSON (${type}): ${response.text.slice(0, 200)}`);
  const body = JSON.parse(response.text) as GraphQLBody;
  if (!Array.isArray(body.errors) || body.errors.length === 0) throw new Error(`no errors in ${response.text.slice(0, 200)}`);
  return body.errors;
}
