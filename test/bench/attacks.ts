/**
 * The request shapes a hostile client sends, as measured against Kiji before it had cost limits:
 * each is small to send and was expensive (or unbounded) to answer. Used by `npm run bench:hostile`.
 */
import { getIntrospectionQuery } from 'graphql';

export interface Attack {
  name: string;
  /** Raw request: body bytes and content type (POST /graphql), or a GET query string. */
  body: string | Buffer;
  contentType?: string;
}

const json = (query: string, variables?: object) => JSON.stringify({ query, variables });

/** `related` nested four levels under a page of 100 posts: 175 bytes, once 139 s of stall. */
const nestedRelated = json('{posts(first:100){edges{node{related(first:20){post{related(first:20){post{related(first:20){post{related(first:20){post{title}}}}}}}}}}}}');

/** 1,000 aliases of the heaviest page. */
const aliases = json(`{${Array.from({ length: 1000 }, (_, i) => `a${i}:posts(first:100){edges{node{bodyHtml}}}`).join(' ')}}`);

/** Each fragment spreads the next one twice: 2^22 paths through a 1 KB document. */
const fragmentFanOut = json(
  `{posts(first:1){edges{node{...F1}}}} ${Array.from({ length: 22 }, (_, i) => `fragment F${i + 1} on Post{${i === 21 ? 'title' : `...F${i + 2} ...F${i + 2}`}}`).join(' ')}`,
);

/** The same field thousands of times. */
const duplicateFields = json(`{posts(first:100){edges{node{${'title '.repeat(5000)}}}}}`);

/** A 200-character Japanese search, five times over. */
const longSearchText = '液浸冷却データセンター機械学習半導体形態素解析全文検索分散処理'.repeat(7).slice(0, 200);
const fiveSearches = Array.from({ length: 5 }, (_, i) => `s${i}:posts(first:20,filter:{query:$q}){totalCount edges{node{title}}}`);
const longSearch = json(`query($q:String!){${fiveSearches.join(' ')}}`, { q: longSearchText });

/** A batch of operations in one JSON array. */
const batch = JSON.stringify(Array.from({ length: 50 }, () => ({ query: '{posts(first:100){edges{node{bodyHtml}}}}' })));

export const ATTACKS: Attack[] = [
  { name: 'nested related', body: nestedRelated },
  { name: '1,000 aliases', body: aliases },
  { name: 'fragment fan-out', body: fragmentFanOut },
  { name: 'duplicate fields', body: duplicateFields },
  { name: 'long search ×5', body: longSearch },
  { name: 'batched array', body: batch },
  { name: 'introspection', body: json(getIntrospectionQuery()) },
  { name: 'bad JSON', body: '{"query": "{ posts { ' },
  { name: 'null body', body: 'null' },
  { name: '1 MB body', body: json('{posts(first:1){edges{node{title}}}}', { pad: 'x'.repeat(1024 * 1024) }) },
  { name: '3 MB body', body: json('{posts(first:1){edges{node{title}}}}', { pad: 'x'.repeat(3 * 1024 * 1024) }) },
  { name: 'wrong content type', body: '{"query":"{posts{totalCount}}"}', contentType: 'text/plain; charset=latin1' },
];
