import { recency, RelatedWeights, relatedScore, tagRarity } from '../../content/relatedScore';

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

  vector(weighted: ReadonlyMap<string, number>): DenseVector {
    const pairs = [...weighted].map(([term, weight]) => [this.id(term), weight] as const).sort((a, b) => a[0] - b[0]);
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

/** An inverted index in compressed-row form: the posts (dense numbers) carrying each key. */
interface Postings {
  offsets: Int32Array;
  posts: Int32Array;
  weights: Float64Array;
}

function invert(postCount: number, keyCount: number, keysOf: (post: number) => ArrayLike<number>, weightOf?: (post: number, k: number) => number): Postings {
  const offsets = new Int32Array(keyCount + 1);
  for (let p = 0; p < postCount; p++) {
    const keys = keysOf(p);
    for (let k = 0; k < keys.length; k++) offsets[keys[k] + 1]++;
  }
  for (let k = 0; k < keyCount; k++) offsets[k + 1] += offsets[k];
  const fill = offsets.slice(0, keyCount);
  const posts = new Int32Array(offsets[keyCount]);
  const weights = new Float64Array(offsets[keyCount]);
  for (let p = 0; p < postCount; p++) {
    const keys = keysOf(p);
    for (let k = 0; k < keys.length; k++) {
      const at = fill[keys[k]]++;
      posts[at] = p;
      weights[at] = weightOf ? weightOf(p, k) : 1;
    }
  }
  return { offsets, posts, weights };
}

/** Dense numbering of arbitrary ids (tags, categories). */
function denseKeys(lists: (readonly number[])[]): { count: number; lists: Int32Array[] } {
  const numbers = new Map<number, number>();
  const dense = lists.map((list) =>
    Int32Array.from(list, (id) => {
      let n = numbers.get(id);
      if (n === undefined) numbers.set(id, (n = numbers.size));
      return n;
    }),
  );
  return { count: numbers.size, lists: dense };
}

export function buildRelatedLists(input: BulkRelatedInput): Map<number, ScoredNeighbour[]> {
  const { ids, weights } = input;
  const n = ids.length;
  const empty: DenseVector = { terms: new Int32Array(0), weights: new Float64Array(0) };
  const vectors = ids.map((id) => input.vectors.get(id) ?? empty);
  const tags = denseKeys(ids.map((id) => input.tagsOf.get(id) ?? []));
  const categories = denseKeys(ids.map((id) => input.categoriesOf.get(id) ?? []));
  const byTerm = invert(
    n,
    input.termCount,
    (p) => vectors[p].terms,
    (p, k) => vectors[p].weights[k],
  );
  const byTag = invert(n, tags.count, (p) => tags.lists[p]);
  const byCategory = invert(n, categories.count, (p) => categories.lists[p]);
  const rarity = Float64Array.from({ length: tags.count }, (_, t) => tagRarity(byTag.offsets[t + 1] - byTag.offsets[t], n));
  const recencies = Float64Array.from(ids, (id) => recency(input.dates.get(id) ?? null, input.now));

  const text = new Float64Array(n);
  const tagParts = new Float64Array(n);
  const categoryParts = new Float64Array(n);
  const touched = new Int32Array(n);
  const seen = new Uint8Array(n);
  const lists = new Map<number, ScoredNeighbour[]>();

  const spread = (postings: Postings, key: number, self: number, into: Float64Array, scale: number, weighted: boolean, count: { n: number }) => {
    const from = postings.offsets[key];
    const to = postings.offsets[key + 1];
    if (to - from > CANDIDATE_POSTING_LIMIT) return;
    for (let at = from; at < to; at++) {
      const other = postings.posts[at];
      if (other === self) continue;
      if (!seen[other]) {
        seen[other] = 1;
        touched[count.n++] = other;
      }
      into[other] += weighted ? scale * postings.weights[at] : scale;
    }
  };

  const exactScore = (a: number, b: number): number => {
    const va = vectors[a];
    const vb = vectors[b];
    let similarity = 0;
    for (let i = 0, j = 0; i < va.terms.length && j < vb.terms.length;) {
      if (va.terms[i] === vb.terms[j]) similarity += va.weights[i++] * vb.weights[j++];
      else if (va.terms[i] < vb.terms[j]) i++;
      else j++;
    }
    let sharedTagRarity = 0;
    for (const tag of tags.lists[a]) if (tags.lists[b].includes(tag)) sharedTagRarity += rarity[tag];
    let sharedCategories = 0;
    for (const category of categories.lists[a]) if (categories.lists[b].includes(category)) sharedCategories++;
    return relatedScore({ textSimilarity: similarity, tagRarity: sharedTagRarity, sharedCategories }, recencies[b], weights);
  };

  for (let p = 0; p < n; p++) {
    const count = { n: 0 };
    const vector = vectors[p];
    if (weights.text > 0) for (let k = 0; k < vector.terms.length; k++) spread(byTerm, vector.terms[k], p, text, vector.weights[k], true, count);
    if (weights.tags > 0) for (const tag of tags.lists[p]) spread(byTag, tag, p, tagParts, rarity[tag], false, count);
    if (weights.categories > 0) for (const category of categories.lists[p]) spread(byCategory, category, p, categoryParts, 1, false, count);

    const finalists = new TopK(FINALISTS);
    for (let i = 0; i < count.n; i++) {
      const other = touched[i];
      const partial = relatedScore({ textSimilarity: text[other], tagRarity: tagParts[other], sharedCategories: categoryParts[other] }, recencies[other], weights);
      if (partial > 0) finalists.offer(other, partial);
      text[other] = tagParts[other] = categoryParts[other] = 0;
      seen[other] = 0;
    }
    const best = new TopK(input.keep);
    for (const other of finalists.items()) best.offer(other.id, exactScore(p, other.id));
    lists.set(
      ids[p],
      best.items().map((item) => ({ id: ids[item.id], score: item.score })),
    );
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
