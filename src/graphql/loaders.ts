import DataLoader from 'dataloader';
import type { Author, Category, Page as PageEntity, Post, PostRevision, PreviewLink, Tag } from '../entities';
import type { Page, PageArgs } from '../services/shared';
import type { PostParent } from '../services/posts/read';
import type { ListedOrderKey, PostOrderKey } from '../services/posts/read';
import { FULL_POST, includeKey, PostInclude, PostRelations } from '../services/posts/read';
import type { Services } from '../services/registry';
import type { Term, TermReader } from '../services/terms';
import type { Viewer } from '../services/access';
import type { DeliveryView, EndpointView } from '../services/webhooks';
import type { RedirectTarget } from '../services/redirects';
import type { PostFilterInput } from './types/args';

/*
 * One DataLoader per relation, built afresh for every request so that nothing cached for one
 * viewer is ever seen by another, and so that a page of N posts costs the same few statements
 * whatever N is. Batch functions return exactly one entry per key, in key order.
 */

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/** What says a request was stopped (its record, http/request-log.ts; an AbortSignal does too). */
export type Cancellation = Pick<AbortSignal, 'throwIfAborted'>;

/**
 * A DataLoader that starts no batch once the request is aborted (its deadline passed, or its client
 * hung up): the rest of the operation fails fast instead of reading what nobody will receive.
 */
function loader<K, V, C = K>(signal: Cancellation | undefined, batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V, C>): DataLoader<K, V, C> {
  const guarded: DataLoader.BatchLoadFn<K, V> = signal
    ? (keys) => {
        signal.throwIfAborted();
        return batch(keys);
      }
    : batch;
  return new DataLoader<K, V, C>(guarded, options);
}

/**
 * Each DataLoader is made when first asked for: a request reads a few relations, not all of them.
 * Terms found by slug come with their post counts, given to `counted` (a term page shows both).
 */
function termLoaders<T extends Term>(reader: TermReader<T>, viewer: Viewer, signal: Cancellation | undefined, counted: (postCounts: Map<number, number>) => void) {
  let byId: DataLoader<number, T | null> | undefined;
  let bySlug: DataLoader<string, T | null> | undefined;
  let ofPost: DataLoader<number, T[]> | undefined;
  let profiled: DataLoader<number, T | null> | undefined;
  /** Posts' terms read with the posts (the sink below): answered at once, not through a promise. */
  const readWithPost = new Map<number, T[]>();
  return {
    get byId(): DataLoader<number, T | null> {
      return (byId ??= loader(signal, async (ids) => byKey(ids, await reader.byIds(viewer, ids), (t) => t.id)));
    },
    get bySlug(): DataLoader<string, T | null> {
      return (bySlug ??= loader(signal, async (slugs) => {
        const { terms, postCounts } = await reader.bySlugsCounted(viewer, slugs);
        counted(postCounts);
        return byKey(slugs, terms, (t) => t.slug);
      }));
    },
    /** Terms with their profile columns, for terms read inside posts without them (graphql/term-profile.ts). */
    get profiled(): DataLoader<number, T | null> {
      return (profiled ??= loader(signal, async (ids) => byKey(ids, await reader.withProfiles(ids), (t) => t.id)));
    },
    /** The terms read with post `postId`, kept so that `forPost` answers without the loader. */
    primeForPost(postId: number, terms: T[]): void {
      // The first read wins, as DataLoader's prime does: a post shows one list of terms per request.
      if (readWithPost.has(postId)) return;
      readWithPost.set(postId, terms);
      this.ofPost.prime(postId, terms);
    },
    /**
     * A post's terms: at once when they were read with the post (a page of posts reads them all in
     * its statement), else through the loader. Every promise a field returns costs graphql-jit a
     * continuation and a turn of the microtask queue, 20 posts times each relation on a page.
     */
    forPost(postId: number): T[] | Promise<T[]> {
      return readWithPost.get(postId) ?? this.ofPost.load(postId);
    },
    get ofPost(): DataLoader<number, T[]> {
      return (ofPost ??= loader(signal, async (postIds) => {
        const map = await reader.forPosts(postIds);
        return postIds.map((id) => map.get(id) ?? []);
      }));
    },
  };
}

type TermLoaders<T extends Term> = ReturnType<typeof termLoaders<T>>;

/** One loader per include, made on first use, so that reads asking for the same parts batch together. */
function perInclude<L>(make: (include: PostInclude) => L): (include?: PostInclude) => L {
  const made = new Map<string, L>();
  return (include = FULL_POST) => {
    const key = includeKey(include);
    let loader = made.get(key);
    if (!loader) made.set(key, (loader = make(include)));
    return loader;
  };
}

export interface PostsOfKey {
  parent: PostParent;
  id: number;
  order: PostOrderKey;
  args: PageArgs;
  include: PostInclude;
}

/** The one page of a term's posts an operation asks for, known before the term is read (graphql/term-page-ahead.ts). */
export interface TermPostsAhead {
  order: ListedOrderKey;
  args: PageArgs;
  include: PostInclude;
}

/** The related posts an operation asks of the post a root field finds, known before the post is read (graphql/related-ahead.ts). */
export interface RelatedAhead {
  first: number;
  include: PostInclude;
}

export function createLoaders(services: Services, viewer: Viewer, signal?: Cancellation) {
  const { posts } = services;
  const argsKey = (key: PostsOfKey) => JSON.stringify([key.parent, key.order, key.args.first, key.args.after, key.args.last, key.args.before, includeKey(key.include)]);
  let postCountOf: DataLoader<{ parent: PostParent; id: number }, number, string> | undefined;
  const postCountLoader = () =>
    (postCountOf ??= loader<{ parent: PostParent; id: number }, number, string>(
      signal,
      async (keys) => {
        const result = new Map<string, number>();
        for (const parent of ['author', 'tag', 'category'] as const) {
          const ids = keys.filter((k) => k.parent === parent).map((k) => k.id);
          if (ids.length === 0) continue;
          const counts = await posts.countsByParent(parent, ids);
          for (const id of ids) result.set(`${parent}#${id}`, counts.get(id) ?? 0);
        }
        return keys.map((k) => result.get(`${k.parent}#${k.id}`) ?? 0);
      },
      { cacheKeyFn: (key) => `${key.parent}#${key.id}` },
    ));
  /** Counts read with their terms are kept, so asking for them costs no statement. */
  const countSink = (parent: PostParent) => (postCounts: Map<number, number>) => {
    for (const [id, count] of postCounts) postCountLoader().prime({ parent, id }, count);
  };
  const authors = termLoaders<Author>(services.authors, viewer, signal, countSink('author'));
  const tags = termLoaders<Tag>(services.tags, viewer, signal, countSink('tag'));
  const categories = termLoaders<Category>(services.categories, viewer, signal, countSink('category'));
  /** Relations read together with posts are kept, so asking for them costs no statement. */
  const sink = (postId: number, relations: PostRelations) => {
    if (relations.authors) authors.primeForPost(postId, relations.authors);
    if (relations.tags) tags.primeForPost(postId, relations.tags);
    if (relations.categories) categories.primeForPost(postId, relations.categories);
  };
  const read = (include: PostInclude) => ({ include, sink });
  const termsOf = { author: authors, tag: tags, category: categories };
  /** The phrases of the search each post of this request was found by (for `Post.searchSnippet`). */
  const searchPhrases = new Map<number, string[][]>();
  // Made on first use (the getters below), like the term loaders.
  let revisionById: DataLoader<number, PostRevision | null> | undefined;
  let pageById: DataLoader<number, PageEntity | null> | undefined;
  let pageBySlug: DataLoader<string, PageEntity | null> | undefined;
  let redirectOf: DataLoader<string, RedirectTarget | null> | undefined;
  let webhookEndpointById: DataLoader<string, EndpointView | null> | undefined;
  let webhookDeliveryById: DataLoader<string, DeliveryView | null> | undefined;
  let previewLinkById: DataLoader<string, PreviewLink | null> | undefined;
  let previewLinksOf: DataLoader<number, PreviewLink[]> | undefined;
  let postsOf: DataLoader<PostsOfKey, Page<Post>, string> | undefined;
  const termsWithPosts = new Map<PostParent, DataLoader<{ slug: string; ahead: TermPostsAhead }, Term | null, string>>();
  const postsOfLoader = (): DataLoader<PostsOfKey, Page<Post>, string> =>
    (postsOf ??= loader<PostsOfKey, Page<Post>, string>(
      signal,
      async (keys) => {
        const groups = new Map<string, PostsOfKey[]>();
        for (const key of keys) {
          const args = argsKey(key);
          const group = groups.get(args);
          if (group) group.push(key);
          else groups.set(args, [key]);
        }
        const pages = new Map<PostsOfKey, Page<Post>>();
        for (const group of groups.values()) {
          const { parent, order, args, include } = group[0];
          const result = await posts.pagesByParent(
            viewer,
            parent,
            group.map((k) => k.id),
            order,
            args,
            read(include),
          );
          for (const key of group) pages.set(key, result.get(key.id)!);
        }
        return keys.map((key) => pages.get(key)!);
      },
      { cacheKeyFn: (key) => `${argsKey(key)}#${key.id}` },
    ));
  let revisionsOf: DataLoader<{ postId: number; args: PageArgs }, Page<PostRevision>, string> | undefined;
  /** By current slug, else by a slug the post had (renamed posts keep their old links): a second statement only when some slug missed. */
  const postBySlug = perInclude((include) =>
    loader<string, Post | null>(signal, async (slugs) => {
      const found = byKey(slugs, await posts.bySlugs(viewer, slugs, read(include)), (p) => p.slug);
      const missed = slugs.filter((_, i) => !found[i]);
      if (missed.length === 0) return found;
      const renamed = await posts.byOldSlugs(viewer, missed, read(include));
      return slugs.map((slug, i) => found[i] ?? renamed.get(slug) ?? null);
    }),
  );
  /** Visible related posts per post; keys asking for the same `first` share a statement. */
  const relatedOf = perInclude((include) =>
    loader<{ postId: number; first: number }, { post: Post; score: number }[], string>(
      signal,
      async (keys) => {
        const result = new Map<string, { post: Post; score: number }[]>();
        for (const first of new Set(keys.map((k) => k.first))) {
          const ids = keys.filter((k) => k.first === first).map((k) => k.postId);
          const related = await posts.relatedOf(viewer, ids, first, read(include));
          for (const id of ids) result.set(`${id}#${first}`, related.get(id) ?? []);
        }
        return keys.map((k) => result.get(`${k.postId}#${k.first}`) ?? []);
      },
      { cacheKeyFn: (key) => `${key.postId}#${key.first}` },
    ),
  );
  return {
    /** Reading with relations gives them to the request's term loaders. */
    read,
    /** A page of `posts(filter)`; the posts a search found remember its phrases. */
    async postPage(filter: PostFilterInput, order: PostOrderKey, args: PageArgs, include: PostInclude): Promise<Page<Post>> {
      const page = await posts.page(viewer, filter, order, args, read(include));
      if (page.phrases) for (const post of page.rows) searchPhrases.set(post.id, page.phrases);
      return page;
    },
    /** Null for a post this request did not find by a search. */
    searchPhrasesOf: (postId: number): string[][] | null => searchPhrases.get(postId) ?? null,
    postById: perInclude((include) => loader<number, Post | null>(signal, async (ids) => byKey(ids, await posts.byIds(viewer, ids, read(include)), (p) => p.id))),
    postBySlug,
    /**
     * A post by slug, and the related posts the operation will ask of it (`relatedOf`), in one
     * statement: both are kept (postBySlug, relatedOf) for the fields to answer from. A slug the
     * post no longer has finds it by a second statement, as postBySlug does, its related posts
     * then read by the field.
     */
    async postWithRelated(slug: string, include: PostInclude, ahead: RelatedAhead): Promise<Post | null> {
      signal?.throwIfAborted();
      const found = await posts.bySlugWithRelated(viewer, slug, ahead.first, read(include), read(ahead.include));
      if (!found) {
        const renamed = (await posts.byOldSlugs(viewer, [slug], read(include))).get(slug) ?? null;
        postBySlug(include).prime(slug, renamed);
        return renamed;
      }
      postBySlug(include).prime(slug, found.post);
      relatedOf(ahead.include).prime({ postId: found.post.id, first: ahead.first }, found.related);
      return found.post;
    },
    authors,
    tags,
    categories,
    /**
     * A term by slug, and the page of its posts the operation will ask for (`postsOf`), in one
     * statement: its term, count and page are kept (bySlug, postCountOf, postsOf), for the fields
     * to answer from. Several terms by slug in one operation (aliases) are read as before: by
     * slug in one statement, then their pages in another.
     */
    termWithPosts(parent: PostParent, slug: string, ahead: TermPostsAhead): Promise<Term | null> {
      const made = termsWithPosts.get(parent);
      const load =
        made ??
        loader<{ slug: string; ahead: TermPostsAhead }, Term | null, string>(
          signal,
          async (keys) => {
            const terms = termsOf[parent] as TermLoaders<Term>;
            if (keys.length > 1) return Promise.all(keys.map((k) => terms.bySlug.load(k.slug)));
            const [{ slug: only, ahead: wanted }] = keys;
            const found = await services.termPages.bySlug(viewer, parent, only, wanted.order, wanted.args, read(wanted.include));
            terms.bySlug.prime(only, found?.term ?? null);
            if (!found) return [null];
            postCountLoader().prime({ parent, id: found.term.id }, found.postCount);
            postsOfLoader().prime({ parent, id: found.term.id, ...wanted }, found.page);
            return [found.term];
          },
          {
            cacheKeyFn: ({ slug, ahead: { order, args, include } }) =>
              `${slug}#${JSON.stringify([order, args.first, args.after, args.last, args.before, includeKey(include)])}`,
          },
        );
      if (!made) termsWithPosts.set(parent, load);
      return load.load({ slug, ahead });
    },
    /** A page of posts per author, tag or category; keys with the same arguments share a statement. */
    get postsOf(): DataLoader<PostsOfKey, Page<Post>, string> {
      return postsOfLoader();
    },
    /** Pages by id (`page(id:)`, `node(id:)`) and by slug: null for one this viewer may not see (a draft, for readers). */
    get pageById(): DataLoader<number, PageEntity | null> {
      return (pageById ??= loader(signal, async (ids) => byKey(ids, await services.pages.byIds(viewer, ids), (p) => p.id)));
    },
    get pageBySlug(): DataLoader<string, PageEntity | null> {
      return (pageBySlug ??= loader(signal, async (slugs) => byKey(slugs, await services.pages.bySlugs(viewer, slugs), (p) => p.slug)));
    },
    /** Where old paths lead (`redirect(path:)`): every path of an operation in one statement; the viewer's visibility is checked on the post. */
    get redirectOf(): DataLoader<string, RedirectTarget | null> {
      return (redirectOf ??= loader(signal, (inputs) => services.redirects.find(inputs)));
    },
    /** Revisions by id, for `node(id:)`: null for one this viewer may not see. */
    get revisionById(): DataLoader<number, PostRevision | null> {
      return (revisionById ??= loader(signal, async (ids) => byKey(ids, await services.revisions.byIds(viewer, ids), (r) => r.id)));
    },
    /** Webhook endpoints by key (`ep_…`), for `node(id:)`: null unless the viewer is an admin. */
    get webhookEndpointById(): DataLoader<string, EndpointView | null> {
      return (webhookEndpointById ??= loader(signal, async (keys) => byKey(keys, await services.webhooks.byIds(viewer, keys), (e) => e.id)));
    },
    /** Webhook deliveries by key (`msg_…`), with their attempts, for `node(id:)`: null unless the viewer is an admin. */
    get webhookDeliveryById(): DataLoader<string, DeliveryView | null> {
      return (webhookDeliveryById ??= loader(signal, async (keys) => byKey(keys, await services.webhooks.deliveriesByIds(viewer, keys), (d) => d.id)));
    },
    /** Preview links by key (`pl_…`), for `node(id:)`: null unless the viewer is an editor or admin. */
    get previewLinkById(): DataLoader<string, PreviewLink | null> {
      return (previewLinkById ??= loader(signal, async (keys) => byKey(keys, await services.previews.byIds(viewer, keys), (l) => l.id)));
    },
    /** Each post's working preview links, newest first (`Post.previewLinks`, which checks the viewer). */
    get previewLinksOf(): DataLoader<number, PreviewLink[]> {
      return (previewLinksOf ??= loader(signal, async (postIds) => {
        const links = await services.previews.activeFor(postIds);
        return postIds.map((id) => links.get(id) ?? []);
      }));
    },
    /** Revisions per post, newest first; keys with the same arguments share a statement. */
    get revisionsOf(): DataLoader<{ postId: number; args: PageArgs }, Page<PostRevision>, string> {
      return (revisionsOf ??= loader<{ postId: number; args: PageArgs }, Page<PostRevision>, string>(
        signal,
        async (keys) => {
          const result = new Map<string, Page<PostRevision>>();
          const argsOf = (args: PageArgs) => JSON.stringify([args.first, args.after]);
          for (const args of new Set(keys.map((k) => argsOf(k.args)))) {
            const group = keys.filter((k) => argsOf(k.args) === args);
            const pages = await services.revisions.pagesFor(
              group.map((k) => k.postId),
              group[0].args,
            );
            for (const k of group) result.set(`${k.postId}#${args}`, pages.get(k.postId)!);
          }
          return keys.map((k) => result.get(`${k.postId}#${argsOf(k.args)}`)!);
        },
        { cacheKeyFn: (key) => `${key.postId}#${JSON.stringify([key.args.first, key.args.after])}` },
      ));
    },
    relatedOf,
    get postCountOf(): DataLoader<{ parent: PostParent; id: number }, number, string> {
      return postCountLoader();
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
