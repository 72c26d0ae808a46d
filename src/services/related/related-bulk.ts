import { recency, RelatedWeights, relatedScore, SharedParts, tagRarity } from '../../content/relatedScore';

/**
 * The in-memory half of a related-articles rebuild: every published post's best neighbours,
 * scored exactly as `RelatedIndex.neighbours` scores them, in time that grows with the archive
 * rather than with its square.
 *
 * Posts are numbered densely and every inverted list is a typed array, so one post's candidates
 * accumulate in flat arrays instead of maps. Two things keep the work per post bounded:
 * - inverted lists longer than CANDIDATE_POSTING_LIMIT (a term, tag or category shared by a large
 *   part of the archive) do not propose candidates: such a link says little about a pair;
 * - the best FINALISTS candidates by that partial score are then scored exactly (every shared
 *   term, tag and category, long lists included) and the best `keep` of those are kept.
 * On an archive where no list is that long (the real corpora), candidates and scores are exact.
 */

export const CANDIDATE_POSTING_LIMIT = 1000;
const FINALISTS = 64;

/** A post's term vector with terms as ids, sorted by id so two vectors merge in one pass. */
export interface DenseVector {
  terms: Int32Array;
  weights: Float64Array;
}

export interface BulkRelatedInput {
  /** Published posts, each numbered by its position here. */
  ids: readonly number[];
  vectors: ReadonlyMap<number, DenseVector>;
  termCount: number;
  tagsOf: ReadonlyMap<number, readonly number[]>;
  categoriesOf: ReadonlyMap<number, readonly number[]>;
  dates: ReadonlyMap<number, Date | null>;
  now: Date;
  weights: RelatedWeights;
  keep: number;
}

export interface ScoredNeighbour {
  id: number;
  score: number;
}

/** Interns term strings as small integers for DenseVector. */
export class TermIds {
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];

  /** A vector from its terms and weights, in termVector's order (which numbers new terms). */
  vector(terms: readonly string[], weights: readonly number[]): DenseVector {
    const pairs = terms.map((term, i) => [this.id(term), weights[i]] as const).sort((a, b) => a[0] - b[0]);
    return { terms: Int32Array.from(pairs, (p) => p[0]), weights: Float64Array.from(pairs, (p) => p[1]) };
  }

  private id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }
}

/**
 * The input of a build as flat arrays, posts numbered densely (their position in `ids`): what
 * worker threads share without copying (related-compute.ts), each scoring a range of posts.
 */
export interface FlatRelatedInput {
  posts: number;
  termCount: number;
  /** Post p's vector is at [vectorOffsets[p], vectorOffsets[p + 1]) of vectorTerms and vectorWeights. */
  vectorOffsets: Int32Array;
  vectorTerms: Int32Array;
  vectorWeights: Float64Array;
  /** Tags and categories, numbered densely too, each post's in its stored order. */
  tagCount: number;
  tagOffsets: Int32Array;
  tagKeys: Int32Array;
  categoryCount: number;
  categoryOffsets: Int32Array;
  categoryKeys: Int32Array;
  recencies: Float64Array;
  weights: RelatedWeights;
  keep: number;
}

/** Each post's best neighbours for a range of posts: `counts[i]` entries each, in order, best first. */
export interface RelatedRange {
  counts: Int32Array;
  /** Dense post numbers. */
  neighbours: Int32Array;
  scores: Float64Array;
}

/** A typed array of `length`, in memory worker threads can share when `shared`. */
function typed<T extends Int32Array | Float64Array>(kind: { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number }, length: number, shared: boolean): T {
  const bytes = kind.BYTES_PER_ELEMENT * length;
  return new kind(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** Lists of keys as compressed rows, the keys numbered densely in order of first appearance. */
function denseRows(lists: (readonly number[])[], shared: boolean): { count: number; offsets: Int32Array; keys: Int32Array } {
  const numbers = new Map<number, number>();
  const offsets = typed(Int32Array, lists.length + 1, shared);
  lists.forEach((list, p) => (offsets[p + 1] = offsets[p] + list.length));
  const keys = typed(Int32Array, offsets[lists.length], shared);
  lists.forEach((list, p) =>
    list.forEach((id, k) => {
      let n = numbers.get(id);
      if (n === undefined) numbers.set(id, (n = numbers.size));
      keys[offsets[p] + k] = n;
    }),
  );
  return { count: numbers.size, offsets, keys };
}

export function flattenRelatedInput(input: BulkRelatedInput, shared: boolean): FlatRelatedInput {
  const { ids } = input;
  const empty: DenseVector = { terms: new Int32Array(0), weights: new Float64Array(0) };
  const vectors = ids.map((id) => input.vectors.get(id) ?? empty);
  const vectorOffsets = typed(Int32Array, ids.length + 1, shared);
  vectors.forEach((v, p) => (vectorOffsets[p + 1] = vectorOffsets[p] + v.terms.length));
  const vectorTerms = typed(Int32Array, vectorOffsets[ids.length], shared);
  const vectorWeights = typed(Float64Array, vectorOffsets[ids.length], shared);
  vectors.forEach((v, p) => {
    vectorTerms.set(v.terms, vectorOffsets[p]);
    vectorWeights.set(v.weights, vectorOffsets[p]);
  });
  const tags = denseRows(
    ids.map((id) => input.tagsOf.get(id) ?? []),
    shared,
  );
  const categories = denseRows(
    ids.map((id) => input.categoriesOf.get(id) ?? []),
    shared,
  );
  const recencies = typed(Float64Array, ids.length, shared);
  ids.forEach((id, p) => (recencies[p] = recency(input.dates.get(id) ?? null, input.now)));
  return {
    posts: ids.length,
    termCount: input.termCount,
    vectorOffsets,
    vectorTerms,
    vectorWeights,
    tagCount: tags.count,
    tagOffsets: tags.offsets,
    tagKeys: tags.keys,
    categoryCount: categories.count,
    categoryOffsets: categories.offsets,
    categoryKeys: categories.keys,
    recencies,
    weights: input.weights,
    keep: input.keep,
  };
}

/** An inverted index in compressed-row form: the posts (dense numbers) carrying each key. */
interface Postings {
  offsets: Int32Array;
  posts: Int32Array;
  weights: Float64Array;
}

/** Inverts compressed rows (post → keys) into postings (key → posts), with each entry's weight. */
function invert(postCount: number, keyCount: number, offsets: Int32Array, keys: Int32Array, weights?: Float64Array): Postings {
  const byKey = new Int32Array(keyCount + 1);
  for (let at = 0; at < offsets[postCount]; at++) byKey[keys[at] + 1]++;
  for (let k = 0; k < keyCount; k++) byKey[k + 1] += byKey[k];
  const fill = byKey.slice(0, keyCount);
  const posts = new Int32Array(byKey[keyCount]);
  const postingWeights = new Float64Array(byKey[keyCount]);
  for (let p = 0; p < postCount; p++) {
    for (let at = offsets[p]; at < offsets[p + 1]; at++) {
      const slot = fill[keys[at]]++;
      posts[slot] = p;
      postingWeights[slot] = weights ? weights[at] : 1;
    }
  }
  return { offsets: byKey, posts, weights: postingWeights };
}

/** Whether `key` is among keys[from, to). */
function holds(keys: Int32Array, from: number, to: number, key: number): boolean {
  for (let at = from; at < to; at++) if (keys[at] === key) return true;
  return false;
}

/** The best neighbours of posts [from, to), scored as `RelatedIndex.neighbours` scores them. */
export function relatedListsFor(input: FlatRelatedInput, from: number, to: number): RelatedRange {
  const { weights, vectorOffsets, vectorTerms, vectorWeights, tagOffsets, tagKeys, categoryOffsets, categoryKeys, recencies } = input;
  const n = input.posts;
  const byTerm = invert(n, input.termCount, vectorOffsets, vectorTerms, vectorWeights);
  const byTag = invert(n, input.tagCount, tagOffsets, tagKeys);
  const byCategory = invert(n, input.categoryCount, categoryOffsets, categoryKeys);
  const rarity = Float64Array.from({ length: input.tagCount }, (_, t) => tagRarity(byTag.offsets[t + 1] - byTag.offsets[t], n));

  const text = new Float64Array(n);
  const tagParts = new Float64Array(n);
  const categoryParts = new Float64Array(n);
  const touched = new Int32Array(n);
  const seen = new Uint8Array(n);
  let count = 0;
  // One object, refilled for each candidate: a new one for each of millions of candidates was much of a build's garbage.
  const parts: SharedParts = { textSimilarity: 0, tagRarity: 0, sharedCategories: 0 };

  const spread = (postings: Postings, key: number, self: number, into: Float64Array, scale: number, weighted: boolean) => {
    const first = postings.offsets[key];
    const last = postings.offsets[key + 1];
    if (last - first > CANDIDATE_POSTING_LIMIT) return;
    for (let at = first; at < last; at++) {
      const other = postings.posts[at];
      if (other === self) continue;
      if (!seen[other]) {
        seen[other] = 1;
        touched[count++] = other;
      }
      into[other] += weighted ? scale * postings.weights[at] : scale;
    }
  };

  const exactScore = (a: number, b: number): number => {
    let similarity = 0;
    for (let i = vectorOffsets[a], j = vectorOffsets[b]; i < vectorOffsets[a + 1] && j < vectorOffsets[b + 1];) {
      if (vectorTerms[i] === vectorTerms[j]) similarity += vectorWeights[i++] * vectorWeights[j++];
      else if (vectorTerms[i] < vectorTerms[j]) i++;
      else j++;
    }
    let sharedTagRarity = 0;
    for (let at = tagOffsets[a]; at < tagOffsets[a + 1]; at++) if (holds(tagKeys, tagOffsets[b], tagOffsets[b + 1], tagKeys[at])) sharedTagRarity += rarity[tagKeys[at]];
    let sharedCategories = 0;
    for (let at = categoryOffsets[a]; at < categoryOffsets[a + 1]; at++)
      if (holds(categoryKeys, categoryOffsets[b], categoryOffsets[b + 1], categoryKeys[at])) sharedCategories++;
    parts.textSimilarity = similarity;
    parts.tagRarity = sharedTagRarity;
    parts.sharedCategories = sharedCategories;
    return relatedScore(parts, recencies[b], weights);
  };

  const counts = new Int32Array(to - from);
  const neighbours: number[] = [];
  const scores: number[] = [];
  for (let p = from; p < to; p++) {
    count = 0;
    if (weights.text > 0) for (let k = vectorOffsets[p]; k < vectorOffsets[p + 1]; k++) spread(byTerm, vectorTerms[k], p, text, vectorWeights[k], true);
    if (weights.tags > 0) for (let at = tagOffsets[p]; at < tagOffsets[p + 1]; at++) spread(byTag, tagKeys[at], p, tagParts, rarity[tagKeys[at]], false);
    if (weights.categories > 0) for (let at = categoryOffsets[p]; at < categoryOffsets[p + 1]; at++) spread(byCategory, categoryKeys[at], p, categoryParts, 1, false);

    const finalists = new TopK(FINALISTS);
    for (let i = 0; i < count; i++) {
      const other = touched[i];
      parts.textSimilarity = text[other];
      parts.tagRarity = tagParts[other];
      parts.sharedCategories = categoryParts[other];
      const partial = relatedScore(parts, recencies[other], weights);
      if (partial > 0) finalists.offer(other, partial);
      text[other] = tagParts[other] = categoryParts[other] = 0;
      seen[other] = 0;
    }
    const best = new TopK(input.keep);
    for (const other of finalists.items()) best.offer(other.id, exactScore(p, other.id));
    counts[p - from] = best.items().length;
    for (const item of best.items()) {
      neighbours.push(item.id);
      scores.push(item.score);
    }
  }
  return { counts, neighbours: Int32Array.from(neighbours), scores: Float64Array.from(scores) };
}

/** Each post's neighbours (ids and scores) from the ranges that scored them, in post order. */
export function listsOfRanges(ids: readonly number[], ranges: RelatedRange[]): Map<number, ScoredNeighbour[]> {
  const lists = new Map<number, ScoredNeighbour[]>();
  let p = 0;
  for (const range of ranges) {
    let at = 0;
    for (const count of range.counts) {
      const list: ScoredNeighbour[] = [];
      for (const end = at + count; at < end; at++) list.push({ id: ids[range.neighbours[at]], score: range.scores[at] });
      lists.set(ids[p++], list);
    }
  }
  return lists;
}

/** The best `size` (id, score) pairs offered, best first; ties go to the lower id. */
class TopK {
  private readonly entries: ScoredNeighbour[] = [];
  constructor(private readonly size: number) {}

  offer(id: number, score: number): void {
    const entries = this.entries;
    if (entries.length === this.size && !better(score, id, entries[entries.length - 1])) return;
    let at = entries.length;
    while (at > 0 && better(score, id, entries[at - 1])) at--;
    entries.splice(at, 0, { id, score });
    if (entries.length > this.size) entries.pop();
  }

  items(): ScoredNeighbour[] {
    return this.entries;
  }
}

function better(score: number, id: number, than: ScoredNeighbour): boolean {
  return score > than.score || (score === than.score && id < than.id);
}
