import type { Author, Category, Post, Tag } from '../../entities';
import { ANONYMOUS } from '../access';
import type { PostReader, PostRelations } from '../posts/read';
import { badInput, requirePlainText } from '../shared';
import type { Term, TermReader } from '../terms';
import type { FeedScope, TermKind } from './site-links';

/** Posts in a feed unless `?limit=` says otherwise, and the most it may say. */
export const DEFAULT_FEED_SIZE = 20;
export const MAX_FEED_SIZE = 100;

/** Throws BAD_USER_INPUT unless `size` (`?limit=`) is a whole number from 1 to MAX_FEED_SIZE: the caller checks it once, before costing the feed. */
export function checkFeedSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_FEED_SIZE) {
    throw badInput(`\`limit\` must be a whole number from 1 to ${MAX_FEED_SIZE}`, { argument: 'limit', limit: MAX_FEED_SIZE });
  }
}

/** A post as a feed shows it: the post with its authors, tags and categories. */
export interface FeedPost {
  post: Post;
  authors: Author[];
  tags: Tag[];
  categories: Category[];
}

/** What one feed holds: its subject (null for the whole site) and its newest posts, newest first. */
export interface FeedContent {
  scope: FeedScope;
  term: Term | null;
  posts: FeedPost[];
}

/**
 * Reads a feed's posts as an anonymous reader sees them, whoever asks (feeds are public
 * documents; post-visibility.ts: published, their time come, not deleted), through the same
 * readers as GraphQL. A term's feed costs two
 * statements whatever its size: the term by slug (which also says whether any visible post
 * carries it), then the page of posts with their bodies and relations in one statement.
 */
export class FeedReader {
  constructor(
    private readonly posts: PostReader,
    private readonly terms: Record<TermKind, Pick<TermReader<Term>, 'bySlugs'>>,
  ) {}

  /** The feed's content, or null when no visible post carries the term (an unknown slug); `size` passed checkFeedSize. */
  async read(scope: FeedScope, size: number): Promise<FeedContent | null> {
    let term: Term | null = null;
    if (scope.kind !== 'site') {
      requirePlainText(scope.slug, 'slug');
      [term = null] = await this.terms[scope.kind].bySlugs(ANONYMOUS, [scope.slug]);
      if (!term) return null;
    }
    const relations = new Map<number, PostRelations>();
    const filter = scope.kind === 'site' ? {} : { [scope.kind]: scope.slug };
    const page = await this.posts.page(
      ANONYMOUS,
      filter,
      'NEWEST',
      { first: size },
      { include: { body: true, authors: true, tags: true, categories: true }, sink: (id, r) => relations.set(id, r) },
    );
    const posts = page.rows.map((post) => {
      const r = relations.get(post.id) ?? {};
      return { post, authors: r.authors ?? [], tags: r.tags ?? [], categories: r.categories ?? [] };
    });
    return { scope, term, posts };
  }
}
