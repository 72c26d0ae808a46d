import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { prng } from '../bench/common';

/**
 * Generated hostile requests for the fuzz run (`npm run fuzz`) and its small jest sibling: broken
 * and random bodies, odd headers, content types and encodings, wrong methods and paths, and
 * GraphQL documents mutated from the committed operations (test/api/operations/*.graphql), with
 * random variables. The same seed gives the same requests.
 */

export interface FuzzRequest {
  /** What kind of request this is, for the report. */
  kind: string;
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Operation {
  /** The whole file: the operation with its fragments (and its siblings). */
  document: string;
  name: string;
  /** `$name: Type` of the operation's variables. */
  variables: Array<{ name: string; type: string }>;
}

/** The committed operations: test/api/operations next to this file's source (or its compiled copy). */
export function loadOperations(root: string): Operation[] {
  const dir = path.join(root, 'test', 'api', 'operations');
  const operations: Operation[] = [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  for (const file of files.sort()) {
    const document = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of document.matchAll(/^(?:query|mutation)\s+(\w+)\s*(?:\(([^)]*)\))?/gm)) {
      const variables = [...(match[2] ?? '').matchAll(/\$(\w+)\s*:\s*([\w[\]!]+)/g)].map((v) => ({ name: v[1], type: v[2] }));
      operations.push({ document, name: match[1], variables });
    }
  }
  return operations;
}

// Spread from lines of a few each, in this order: a seed picks by index, so reordering would change every run.
const TOKENS = [
  ...['{', '}', '(', ')', '[', ']', '...', '$', ':', '!', '=', '@include(if: true)', '@skip(if: $x)', 'first: 100', 'first: -1'],
  ...['last: 0', 'after: "x"', '"\\u0000"', 'null', '__typename', '__schema { types { name } }', 'fragment F on Post { id }'],
  ...['...F', 'related(first: 20) { title }', 'query', 'mutation', 'subscription', '#', '"""', '\\', 'posts { edges { node { id } } }'],
  ...['node(id: "Post:9999999999999999") { id }', 'a'.repeat(300), '記事', '\u{1F600}', '\u0000', '\ud800'],
];

const STRINGS = [
  ...['', ' ', 'x', 'hello world', '液浸冷却', '\u0000', 'a\u0000b', '\ud800', '%00', "'; DROP TABLE posts; --", '<script>'],
  ...['Post:1', 'Post:9999999999999999', 'Tag:-1', 'UG9zdDox', '!!!', 'a'.repeat(5000), '2026-13-45T99:99:99Z', 'NaN', '../../etc/passwd'],
];

export function* fuzzRequests(seed: number, operations: Operation[], editorKey?: string): Generator<FuzzRequest> {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => random() < p;

  const randomString = (): string => {
    if (chance(0.6)) return pick(STRINGS);
    const length = int(40);
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCodePoint(chance(0.8) ? 32 + int(95) : int(0x3000));
    return s;
  };

  const randomJson = (depth = 0): unknown => {
    const roll = int(depth > 3 ? 5 : 8);
    switch (roll) {
      case 0:
        return null;
      case 1:
        return chance(0.5);
      case 2:
        return pick([0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 63), 1.5, 1e308, 100, 101]);
      case 3:
      case 4:
        return randomString();
      case 5:
        return Array.from({ length: int(4) }, () => randomJson(depth + 1));
      default: {
        const keys = ['title', 'slug', 'bodyMarkdown', 'tags', 'categories', 'author', 'query', 'tag', 'first', 'id', randomString()];
        return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(keys), randomJson(depth + 1)]));
      }
    }
  };

  /** A value for a variable: often of the declared type, sometimes anything. */
  const valueFor = (type: string): unknown => {
    if (chance(0.25)) return randomJson();
    const base = type.replace(/[[\]!]/g, '');
    const one = (): unknown => {
      switch (base) {
        case 'Int':
          return pick([0, 1, 5, 20, 100, 101, -1, 2 ** 31, 1.5]);
        case 'Boolean':
          return chance(0.5);
        case 'ID':
          return pick(['Post:1', 'Post:2', 'Tag:1', 'Post:9999999999999999', 'UG9zdDox', randomString()]);
        case 'PostOrder':
          return pick(['NEWEST', 'OLDEST', 'TITLE', 'RELEVANCE', 'newest', 1]);
        case 'PostFilter':
          return pick([{}, { tag: randomString() }, { query: randomString() }, { tags: [randomString()] }, randomJson()]);
        case 'PostInput':
          return { title: randomString(), bodyMarkdown: randomString(), ...(chance(0.5) ? { slug: randomString() } : {}), ...(chance(0.3) ? { tags: [randomString()] } : {}) };
        default:
          return chance(0.5) ? randomString() : randomJson();
      }
    };
    return type.startsWith('[') && chance(0.7) ? Array.from({ length: int(3) }, one) : one();
  };

  const mutate = (text: string): string => {
    let out = text;
    for (let n = 1 + int(3); n > 0; n--) {
      const at = int(out.length + 1);
      switch (int(5)) {
        case 0: // delete
          out = out.slice(0, at) + out.slice(at + 1 + int(20));
          break;
        case 1: // insert a token
          out = out.slice(0, at) + pick(TOKENS) + out.slice(at);
          break;
        case 2: {
          // copy a piece
          const from = int(out.length);
          out = out.slice(0, at) + out.slice(from, from + int(60)) + out.slice(at);
          break;
        }
        case 3: // truncate
          out = out.slice(0, at);
          break;
        default: // change a page size
          out = out.replace(/\b(first|last): \$\w+/, `first: ${pick([0, 100, 101, -5, 99999])}`);
      }
    }
    return out;
  };

  const graphqlBody = (): { body: Record<string, unknown>; kind: string } => {
    const op = pick(operations);
    const variables = Object.fromEntries(op.variables.filter(() => chance(0.8)).map((v) => [v.name, valueFor(v.type)]));
    if (chance(0.3)) return { kind: 'operation', body: { query: op.document, operationName: op.name, variables } };
    const body: Record<string, unknown> = { query: mutate(op.document), operationName: chance(0.8) ? op.name : randomString(), variables };
    if (chance(0.1)) body.variables = pick(['{}', '', 'null', [], 1, randomString()]);
    if (chance(0.05)) body.extensions = pick([{ persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } }, { persistedQuery: 'x' }, 'x', null]);
    if (chance(0.05)) delete body.query;
    return { kind: 'mutated operation', body };
  };

  const CONTENT_TYPES = [
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin-9',
    'application/json;charset="UTF-8"',
    'application/graphql',
    'application/graphql-response+json',
    'text/plain',
    'text/html',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '',
    'application/json, text/plain',
    '*/*',
    'application/',
  ];
  const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-kiji', 'compress', 'zstd'];
  const AUTHORIZATIONS = ['Bearer ', 'Bearer x', 'Basic dXNlcjpwYXNz', 'Bearer kiji_' + 'a'.repeat(40), 'bearer', 'Bearer ' + 'x'.repeat(4000), '\u00ff'];
  const ACCEPTS = ['application/json', 'application/graphql-response+json', 'text/html', '*/*', 'application/xml', 'application/graphql-response+json;q=0'];

  while (true) {
    const headers: Record<string, string> = {};
    let method = 'POST';
    let urlPath = '/graphql';
    let body: Buffer | undefined;
    let kind: string;
    const roll = random();
    if (roll < 0.45) {
      const made = graphqlBody();
      kind = made.kind;
      headers['content-type'] = 'application/json';
      body = Buffer.from(JSON.stringify(made.body));
    } else if (roll < 0.6) {
      kind = 'GET';
      method = 'GET';
      const made = graphqlBody();
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(made.body)) params.set(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
      if (chance(0.5)) headers['apollo-require-preflight'] = '1';
      urlPath = `/graphql?${params.toString().slice(0, 6000)}`;
    } else if (roll < 0.72) {
      kind = 'random JSON';
      headers['content-type'] = 'application/json';
      body = Buffer.from(JSON.stringify(randomJson()) ?? 'null');
    } else if (roll < 0.8) {
      kind = 'random bytes';
      headers['content-type'] = pick(CONTENT_TYPES);
      body = Buffer.from(Array.from({ length: int(400) }, () => int(256)));
    } else if (roll < 0.88) {
      kind = 'odd headers';
      body = Buffer.from(JSON.stringify(graphqlBody().body));
      headers['content-type'] = pick(CONTENT_TYPES);
      if (chance(0.5)) {
        const encoding = pick(ENCODINGS);
        headers['content-encoding'] = encoding;
        if (encoding === 'gzip' && chance(0.5)) body = zlib.gzipSync(body);
        if (encoding === 'deflate' && chance(0.5)) body = zlib.deflateSync(body);
      }
    } else if (roll < 0.95) {
      kind = 'method or path';
      method = pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'POST', 'TRACE']);
      urlPath = pick([
        '/graphql/x',
        '/graphql/',
        '//graphql',
        '/',
        '/health',
        '/metrics',
        '/%2e%2e/etc/passwd',
        '/graphql%00',
        '/graphql/../graphql',
        '/GRAPHQL',
        '/graphql?query=%7B',
        '/graphql?variables=%7B',
        '/graphql?query=' + encodeURIComponent('{ __typename }'),
        '/.env',
        '/favicon.ico',
      ]);
      if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && method !== 'TRACE') {
        headers['content-type'] = 'application/json';
        body = Buffer.from(JSON.stringify(graphqlBody().body));
      }
    } else {
      kind = 'big or batched';
      headers['content-type'] = 'application/json';
      body = chance(0.5)
        ? Buffer.from(JSON.stringify(Array.from({ length: 1 + int(5) }, () => graphqlBody().body)))
        : Buffer.from(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(pick([100_000, 1_000_000, 2_500_000]))}` }));
    }
    if (chance(0.15)) headers.authorization = pick(AUTHORIZATIONS);
    else if (editorKey && chance(0.1)) headers.authorization = `Bearer ${editorKey}`;
    if (chance(0.2)) headers.accept = pick(ACCEPTS);
    if (chance(0.1)) headers['x-request-id'] = randomString().replace(/[^\x20-\x7e]/g, '') || 'r';
    if (chance(0.05)) headers['apollo-require-preflight'] = randomString().replace(/[^\x20-\x7e]/g, '') || '1';
    yield { kind, method, path: urlPath, headers, body };
  }
}
