import type { DataSource } from 'typeorm';
import { withinMs } from '../db/availability';
import { dialectOf } from '../db/dialect';
import { outsideSqlTally } from '../db/sql-counter';
import { Config, DEFAULT_PRESENTATION, DEFAULT_TERM_URL_TEMPLATES, DEFAULT_WEBHOOKS, postUrlFor } from '../config';
import { SessionLock } from '../db/session-lock';
import type { Author, Category, Tag } from '../entities';
import type { Clock } from './shared';
import { ApiKeyService } from './access';
import { ContentStateReader } from './cache';
import { FeedReader, FeedService } from './feeds';
import { Importer } from './import';
import { Presentation } from './media';
import { PreviewLinks } from './previews';
import { PostStore } from './posts/write';
import { PostWriter } from './posts/write';
import { RevisionReader } from './posts/read';
import { WriteLock } from './posts/write';
import { PostReader } from './posts/read';
import { RedirectReader } from './redirects';
import { PageReader, PageWriter } from './pages';
import { RelatedIndex } from './related';
import { createSearchIndex } from './search';
import { SearchCounts, TokenStatistics } from './search';
import { AUTHOR_TERMS, CATEGORY_TERMS, TAG_TERMS, TermPages, TermReader, termUrlFor, TermWriter } from './terms';
import type { TermUrlKind } from './terms';
import { ChangeFeed, SyncLog } from './sync';
import { systemClock } from './shared';
import { WebhookEndpoints, WebhookOutbox, WebhookWorker, webhookPostUrl } from './webhooks';

/** The read side, as the GraphQL loaders need it. */
export interface ReadServices {
  posts: PostReader;
  authors: TermReader<Author>;
  tags: TermReader<Tag>;
  categories: TermReader<Category>;
  /** A term and its first posts by slug, in one statement (a term page). */
  termPages: TermPages;
}

export interface Services extends ReadServices {
  config: Config;
  clock: Clock;
  dataSource: DataSource;
  postUrl: (slug: string) => string;
  /** The path (or URL) of an author's, tag's or category's page, from its template (KIJI_AUTHOR_URL, …). */
  termUrl: (kind: TermUrlKind, slug: string) => string;
  importer: Importer;
  writer: PostWriter;
  keys: ApiKeyService;
  revisions: RevisionReader;
  contentState: ContentStateReader;
  /** Write transactions' turns; the response caches ask it whether a read may have seen an open one (quietFromNow). */
  writeLock: WriteLock;
  related: RelatedIndex;
  /** Feeds and the sitemap (http/feeds.ts serves them). */
  feeds: FeedService;
  /** The partners' change feed, and the log it reads (compaction). */
  changes: ChangeFeed;
  syncLog: SyncLog;
  /** Admins' webhook endpoints and deliveries. */
  webhooks: WebhookEndpoints;
  /** Delivers the webhook outbox; the server starts and stops it (KIJI_WEBHOOK_WORKER). */
  webhookWorker: WebhookWorker;
  /** Pages (About, Contact), imported with the posts but kept apart from them. */
  pages: PageReader;
  /** Where old addresses of posts lead (`redirect(path:)`): `redirect_from` paths and renamed posts' old URLs. */
  redirects: RedirectReader;
  /** Absolute image and page addresses, image CDN sizes and SEO fallbacks (KIJI_SITE_URL, KIJI_ASSET_URL, KIJI_IMAGE_URL). */
  presentation: Presentation;
  /** Editors' changes to author profiles and tag and category descriptions. */
  termWriter: TermWriter;
  /** Preview links: made and revoked by editors, read by whoever holds one (`previewPost`). */
  previews: PreviewLinks;
  /** Lets go of what the services hold besides the DataSource (SQLite's search count thread): a server that stops calls it before destroying the DataSource. */
  close(): Promise<void>;
}

/** The composition root: every service is built here, with its collaborators passed in. */
export function createServices(dataSource: DataSource, config: Config, clock: Clock): Services {
  const postUrl = postUrlFor(config.postUrlTemplate);
  const search = createSearchIndex(dataSource);
  const stats = new TokenStatistics(dataSource);
  // Every write transaction takes turns with the others, in this process and across processes.
  const lock = new WriteLock(dataSource);
  const related = new RelatedIndex(dataSource, clock, stats, lock);
  const contentState = new ContentStateReader(dataSource, () => lock.quietFromNow());
  // The state every write commits is read at once, so that `lastKnown` (what a cache serves while
  // the database cannot be asked) is never older than a write that has returned: on SQLite the reads
  // made while the next write is open are not remembered, and writes may follow each other closely.
  // A database that stops answering right after a commit holds the writer up a second at most.
  lock.afterContentCommit(() =>
    withinMs(
      outsideSqlTally(() => contentState.read(clock.now())),
      1000,
    ),
  );
  const searchCounts = new SearchCounts({
    // SQLite: a read of its own, in the write lock's turn; a shared read may have started inside a write transaction.
    state: dialectOf(dataSource).oneConnection ? () => contentState.read(clock.now()) : () => contentState.fresh(() => clock.now()),
    betweenWrites: (read) => lock.betweenWrites(read),
    countsApart: () => search.countsApart,
    now: () => clock.now(),
  });
  const posts = new PostReader(dataSource, clock, search, stats.rarity, searchCounts);
  const syncLog = new SyncLog(clock, posts, lock);
  // Webhook deliveries are timed by the wall clock (receivers check signatures' timestamps against theirs); events by Kiji's.
  const webhookSettings = config.webhooks ?? DEFAULT_WEBHOOKS;
  const webhookOutbox = new WebhookOutbox(systemClock, webhookPostUrl(config.siteUrl, postUrl));
  const store = new PostStore(clock, search, stats, lock, related, new SessionLock(dataSource, 'import'), [syncLog, webhookOutbox]);
  const termReaders = {
    author: new TermReader(dataSource, clock, AUTHOR_TERMS),
    tag: new TermReader(dataSource, clock, TAG_TERMS),
    category: new TermReader(dataSource, clock, CATEGORY_TERMS),
  };
  const reads = {
    posts,
    authors: termReaders.author,
    tags: termReaders.tag,
    categories: termReaders.category,
    termPages: new TermPages(posts, termReaders),
  };
  const presentationSettings = config.presentation ?? DEFAULT_PRESENTATION;
  const presentation = new Presentation(config.siteUrl ?? null, presentationSettings);
  const bodyBases = { siteUrl: presentation.siteUrl, assetUrl: presentation.assetBase };
  const feedReader = new FeedReader(reads.posts, termReaders);
  return {
    config,
    clock,
    dataSource,
    postUrl,
    termUrl: termUrlFor(config.termUrlTemplates ?? DEFAULT_TERM_URL_TEMPLATES),
    importer: new Importer(dataSource, postUrl, store, config.timeZone, bodyBases, new PageWriter(dataSource, clock, lock, presentationSettings.pageUrlTemplate)),
    writer: new PostWriter(clock, store, postUrl, bodyBases),
    termWriter: new TermWriter(lock, search),
    keys: new ApiKeyService(dataSource, lock, clock),
    revisions: new RevisionReader(dataSource),
    contentState,
    writeLock: lock,
    related,
    ...reads,
    feeds: new FeedService(dataSource, clock, feedReader, {
      postUrl,
      termUrlTemplates: config.termUrlTemplates ?? DEFAULT_TERM_URL_TEMPLATES,
      siteTitle: config.siteTitle ?? null,
    }),
    changes: new ChangeFeed(dataSource, clock, posts, lock),
    syncLog,
    webhooks: new WebhookEndpoints(dataSource, lock, clock, systemClock, webhookSettings),
    webhookWorker: new WebhookWorker(dataSource, lock, clock, webhookOutbox, webhookSettings, systemClock),
    presentation,
    pages: new PageReader(dataSource, postUrlFor(presentationSettings.pageUrlTemplate)),
    redirects: new RedirectReader(
      dataSource,
      config.siteUrl ?? null,
      postUrl,
      config.postUrlTemplate,
      (path) => presentation.pageUrl(path),
      presentationSettings.pageUrlTemplate,
    ),
    previews: new PreviewLinks(dataSource, lock, clock, posts, presentationSettings, (path) => presentation.pageUrl(path)),
    close: () => search.close(),
  };
}
