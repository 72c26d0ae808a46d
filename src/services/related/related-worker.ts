/**
 * A worker thread of a related-articles rebuild (related-compute.ts): term vectors for a share
 * of the posts, and the neighbours of a range of them.
 */
import { answerRequests } from '../shared';
import { relatedListsFor } from './related-bulk';
import { weightedTerms, type RelatedRequest, type RelatedReply } from './related-compute';

let df: ReadonlyMap<string, number> = new Map();
let total = 0;

answerRequests((request: RelatedRequest): { reply: RelatedReply; transfer?: ArrayBuffer[] } => {
  switch (request.kind) {
    case 'stats':
      ({ df, total } = request);
      return { reply: { kind: 'stats' } };
    case 'vectors':
      return { reply: { kind: 'vectors', vectors: request.posts.map((post) => weightedTerms(post, (term) => df.get(term) ?? 0, total)) } };
    case 'lists': {
      const range = relatedListsFor(request.input, request.from, request.to);
      return { reply: { kind: 'lists', range }, transfer: [range.counts.buffer, range.neighbours.buffer, range.scores.buffer] as ArrayBuffer[] };
    }
  }
});
