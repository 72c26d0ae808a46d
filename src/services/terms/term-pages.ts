import type { Post } from '../../entities';
import type { Viewer } from '../access';
import type { ListedOrderKey, PostParent, PostRead, PostReader } from '../posts/read';
import type { Page, PageArgs } from '../shared';
import type { Term, TermReader } from './term-reader';

/** A term page: the term, its number of published posts, and a page of them. */
export interface TermPage {
  term: Term;
  postCount: number;
  page: Page<Post>;
}

/**
 * Term pages by slug in one statement each: the term's read (TermReader.bySlugCountedQuery) with
 * the page of its posts PostReader.pagesByParent would give it (PostReader.termWithPage).
 */
export class TermPages {
  constructor(
    private readonly posts: PostReader,
    private readonly readers: Record<PostParent, Pick<TermReader<Term>, 'bySlugCountedQuery' | 'fromRow' | 'postCountOf'>>,
  ) {}

  /** Null when there is no such term, or the viewer may not see it. */
  async bySlug(viewer: Viewer, parent: PostParent, slug: string, order: ListedOrderKey, args: PageArgs, read: PostRead): Promise<TermPage | null> {
    const reader = this.readers[parent];
    const { row, page } = await this.posts.termWithPage(reader.bySlugCountedQuery(viewer, slug), parent, order, args, read);
    return row && { term: reader.fromRow(row), postCount: reader.postCountOf(row), page };
  }
}
