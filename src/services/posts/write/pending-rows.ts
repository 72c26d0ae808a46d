import type { Post, PostLinkName, PostRevision } from '../../../entities';
import { TermDeltas, type SearchIndex } from '../../search';
import type { PostChange } from './post-changes';
import type { Term } from './statements';

/** One link row of a post to a term, as `post_authors`, `post_tags` and `post_categories` store it. */
export interface LinkRow {
  postId: number;
  termId: number;
  position: number;
  listedAt: Date | null;
}

export type NewRevision = Omit<PostRevision, 'id' | 'post'>;

/** A new post's row, with the id reserved for it (`PendingRows.reserveIds`). */
export type NewPost = Post;

/** What the full-text index holds for one post (search-index.ts). */
type SearchDocument = Parameters<SearchIndex['writeAll']>[1][number];

/**
 * The rows that writes of posts add and nothing later in their transaction reads back: links,
 * listed counts, the full-text index, term statistics, revisions, related marks and what the recorders keep of each
 * change (change log, webhook outbox); and the terms and slugs the transaction has read or given. `PostStore.save` gathers them here; `PostStore.writePending`
 * writes them, a few multi-row statements for all of them, in the same transaction before it
 * commits. An import gathers a whole batch's (a post's own, in its savepoint, are taken in only
 * once that savepoint is released): each statement costs a round trip, about fifteen a post
 * before, and most of a PostgreSQL import's time.
 */
export class PendingRows {
  readonly termDeltas = new TermDeltas();
  /** What the full-text index holds of each post written, by post. */
  readonly search = new Map<number, SearchDocument>();
  readonly links: Record<PostLinkName, LinkRow[]> = { authors: [], tags: [], categories: [] };
  /** What each term's `listedCount` moves by, per kind: term id → change. */
  readonly listed: Record<PostLinkName, Map<number, number>> = { authors: new Map(), tags: new Map(), categories: new Map() };
  readonly revisions: NewRevision[] = [];
  /** Posts whose related lists, and those around them, must follow. */
  readonly related = new Set<number>();
  readonly changes: PostChange[] = [];
  /**
   * New posts given a reserved id, not inserted yet: written together, in one statement, before
   * any statement that reads them or refers to them (`insertPendingPosts`).
   */
  readonly posts: NewPost[] = [];
  /** Ids reserved for the next new posts, in the order they are saved; none: each is inserted as it is saved. */
  private readonly reservedIds: number[] = [];
  /** Terms this transaction read or created, per kind, by slug: no write reads them again. */
  private readonly terms: Record<PostLinkName, Map<string, Term>> = { authors: new Map(), tags: new Map(), categories: new Map() };
  private readonly termsAbsent: Record<PostLinkName, Set<string>> = { authors: new Set(), tags: new Set(), categories: new Set() };

  /** `parent`: the batch's rows, whose terms a post's own rows (in its savepoint) know too. */
  constructor(private readonly parent?: PendingRows) {}

  /**
   * Which posts hold each slug (as their slug or as one they had), as the transaction read them
   * (`readSlugHolders`), and the slugs its writes have given posts since: slug → post ids.
   */
  private readonly slugsRead = new Map<string, number[]>();
  private readonly slugsGiven = new Map<string, number[]>();
  /** Of the holders read, those that had the slug before (post_old_slugs), by slug. */
  private readonly formerRead = new Map<string, number[]>();
  private retiredSlug = false;

  /** The posts holding `slug` now; undefined when the transaction did not read it (a statement must). */
  slugHolders(slug: string): number[] | undefined {
    const read = this.slugsRead.get(slug) ?? this.parent?.slugHolders(slug);
    if (read === undefined) return undefined;
    return [...read, ...(this.slugsGiven.get(slug) ?? [])];
  }

  /** `formerly`: which of the holders had the slug (as `slugHolders` tells them apart). */
  rememberSlugHolders(holders: ReadonlyMap<string, number[]>, slugs: readonly string[], formerly?: ReadonlyMap<string, number[]>): void {
    for (const slug of slugs) {
      this.slugsRead.set(slug, holders.get(slug) ?? []);
      if (formerly) this.formerRead.set(slug, formerly.get(slug) ?? []);
    }
  }

  /**
   * The posts that had `slug` and gave it up, as read; undefined when not read, or when a write of
   * this transaction gave up a slug since (`slugRetired`): a statement must tell.
   */
  formerHolders(slug: string): number[] | undefined {
    if (this.anySlugRetired()) return undefined;
    return this.formerRead.get(slug) ?? this.parent?.formerHolders(slug);
  }

  /** A write gave a slug up (`retireSlug`): what was read of former holders may be stale. */
  slugRetired(): void {
    this.retiredSlug = true;
  }

  private anySlugRetired(): boolean {
    return this.retiredSlug || (this.parent?.anySlugRetired() ?? false);
  }

  /** A write gave post `postId` the slug (a post keeps holding its former slugs: they still lead to it). */
  slugGiven(slug: string, postId: number): void {
    this.slugsGiven.set(slug, [...(this.slugsGiven.get(slug) ?? []), postId]);
  }

  knownTerm(name: PostLinkName, slug: string): Term | undefined {
    return this.terms[name].get(slug) ?? this.parent?.knownTerm(name, slug);
  }

  /** Slugs the transaction read no term of, per kind: a post naming one creates it without reading it again. */
  termAbsent(name: PostLinkName, slug: string): boolean {
    return this.termsAbsent[name].has(slug) || (this.parent?.termAbsent(name, slug) ?? false);
  }

  /** Terms read or created; `asked`: the slugs read, those without a term among them absent. */
  rememberTerms(name: PostLinkName, terms: readonly Term[], asked: readonly string[] = []): void {
    for (const term of terms) this.terms[name].set(term.slug, term);
    for (const slug of asked) if (!this.terms[name].has(slug)) this.termsAbsent[name].add(slug);
  }

  /** Ids the database handed out for as many new posts, in order: the next ones saved take them, in turn. */
  reserveIds(ids: readonly number[]): void {
    this.reservedIds.push(...ids);
  }

  /** The id reserved for the next new post; undefined when none is (it is then inserted at once). */
  takeReservedId(): number | undefined {
    return this.reservedIds.shift();
  }

  /** Whether a write was gathered: content readers see may have changed (the content generation moves). */
  get any(): boolean {
    return this.revisions.length > 0;
  }

  addListed(name: PostLinkName, termId: number, step: number): void {
    const moved = (this.listed[name].get(termId) ?? 0) + step;
    if (moved === 0) this.listed[name].delete(termId);
    else this.listed[name].set(termId, moved);
  }

  /** Takes in another's rows (a post's, once its savepoint is released), after its own. */
  absorb(other: PendingRows): void {
    this.termDeltas.absorb(other.termDeltas);
    for (const [postId, doc] of other.search) this.search.set(postId, doc);
    for (const name of Object.keys(this.links) as PostLinkName[]) {
      this.links[name].push(...other.links[name]);
      for (const [termId, step] of other.listed[name]) this.addListed(name, termId, step);
      this.rememberTerms(name, [...other.terms[name].values()]);
      for (const slug of other.termsAbsent[name]) this.termsAbsent[name].add(slug);
    }
    this.posts.push(...other.posts);
    this.revisions.push(...other.revisions);
    for (const postId of other.related) this.related.add(postId);
    this.changes.push(...other.changes);
    for (const [slug, ids] of other.slugsRead) this.slugsRead.set(slug, ids);
    for (const [slug, ids] of other.formerRead) this.formerRead.set(slug, ids);
    if (other.retiredSlug) this.retiredSlug = true;
    for (const [slug, ids] of other.slugsGiven) for (const id of ids) this.slugGiven(slug, id);
  }
}
