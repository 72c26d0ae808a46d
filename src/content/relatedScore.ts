/**
 * How related two posts are, from what they share. Pure, so the incremental (SQL) path and the
 * bulk (in-memory) path score exactly alike, and the evaluation can switch parts off.
 */

export interface RelatedWeights {
  /** Cosine similarity of the posts' tf-idf term vectors (0..1). */
  text: number;
  /** Per unit of shared-tag rarity: Σ ln(1 + N / postsWithTag). */
  tags: number;
  /** Per shared category. */
  categories: number;
  /** How much a brand-new post gains over an old one (a mild preference). */
  recency: number;
}

export const DEFAULT_RELATED_WEIGHTS: RelatedWeights = { text: 1, tags: 0.12, categories: 0.15, recency: 0.1 };
export const TEXT_ONLY_WEIGHTS: RelatedWeights = { text: 1, tags: 0, categories: 0, recency: 0 };

export interface SharedParts {
  textSimilarity: number;
  tagRarity: number;
  sharedCategories: number;
}

/** Rarity of a tag carried by `postsWithTag` of `totalPosts` posts. */
export function tagRarity(postsWithTag: number, totalPosts: number): number {
  return Math.log(1 + totalPosts / Math.max(1, postsWithTag));
}

/** Recency in (0, 1]: 1 for a post published now, halving about every two years. */
export function recency(publishedAt: Date | null, now: Date): number {
  if (!publishedAt) return 0;
  const years = Math.max(0, (now.getTime() - publishedAt.getTime()) / (365.25 * 86_400_000));
  return Math.pow(0.5, years / 2);
}

/** The score of a candidate; 0 when the posts share nothing (such a pair is never related). */
export function relatedScore(parts: SharedParts, candidateRecency: number, weights: RelatedWeights): number {
  const base =
    weights.text * parts.textSimilarity + weights.tags * parts.tagRarity + weights.categories * parts.sharedCategories;
  if (base <= 0) return 0;
  return base * (1 + weights.recency * candidateRecency);
}

/**
 * A post's term vector: (1 + ln tf) · √idf, the strongest `limit` terms, L2-normalized, so the
 * dot product of two vectors is their cosine similarity.
 *
 * The square root damps idf on purpose: with full idf the `limit` slots fill with words that
 * occur in this post alone (names, typos, one-off numbers), which can match no other post, and
 * the few shared words left decide the neighbours. On ../shared/corpora (`npm run eval:related`)
 * √idf raises text-alone precision at 5 from 0.94 to 0.96 on vim-jp, 0.88 to 0.91 on jekyll and
 * 0.65 to 0.71 on 18F, and cuts the neighbours that cross into another corpus from 88 to 28.
 */
export function termVector(
  tf: Map<string, number>,
  documentFrequency: (term: string) => number,
  totalPosts: number,
  limit = 40,
): Map<string, number> {
  const weighted: [string, number][] = [];
  for (const [term, count] of tf) {
    const df = Math.max(1, documentFrequency(term));
    // A term in (nearly) every post says nothing about a pair.
    if (totalPosts >= 20 && df > totalPosts * 0.5) continue;
    weighted.push([term, (1 + Math.log(count)) * Math.sqrt(Math.log(1 + totalPosts / df))]);
  }
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = weighted.slice(0, limit);
  const norm = Math.sqrt(top.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
  return new Map(top.map(([term, w]) => [term, w / norm]));
}
