import type { DataSource } from 'typeorm';
import { Config, postUrlFor } from '../config';
import { SessionLock } from '../db/session-lock';
import type { Author, Category, Tag } from '../entities';
import type { Clock } from './clock';
import { ApiKeyService } from './api-keys';
import { ContentStateReader } from './content-state';
import { Importer } from './importer';
import { PostStore } from './post-store';
import { PostWriter } from './post-writer';
import { RevisionReader } from './revision-reader';
import { WriteLock } from './write-lock';
import { PostReader } from './post-reader';
import { RelatedIndex } from './related-index';
import { createSearchIndex } from './search-index';
import { TermStatistics } from './term-stats';
import { AUTHOR_TERMS, CATEGORY_TERMS, TAG_TERMS, TermReader } from './term-reader';

/** The read side, as the GraphQL loaders need it. */
export interface ReadServices {
  posts: PostReader;
  authors: TermReader<Author>;
  tags: TermReader<Tag>;
  categories: TermReader<Category>;
}

export interface Services extends ReadServices {
  config: Config;
  clock: Clock;
  dataSource: DataSource;
  postUrl: (slug: string) => string;
  importer: Importer;
  writer: PostWriter;
  keys: ApiKeyService;
  revisions: RevisionReader;
  contentState: ContentStateReader;
  related: RelatedIndex;
}

/** The composition root: every service is built here, with its collaborators passed in. */
export function createServices(dataSource: DataSource, config: Config, clock: Clock): Services {
  const postUrl = postUrlFor(config.postUrlTemplate);
  const search = createSearchIndex(dataSource);
  const stats = new TermStatistics(dataSource);
  // Every write transaction takes turns with the others, in this process and across processes.
  const lock = new WriteLock(dataSource);
  const related = new RelatedIndex(dataSource, clock, stats, lock);
  const store = new PostStore(clock, search, stats, lock, related, new SessionLock(dataSource, 'import'));
  return {
    config,
    clock,
    dataSource,
    postUrl,
    importer: new Importer(dataSource, postUrl, store, config.timeZone),
    writer: new PostWriter(clock, store, postUrl),
    keys: new ApiKeyService(dataSource, clock),
    revisions: new RevisionReader(dataSource),
    contentState: new ContentStateReader(dataSource),
    related,
    posts: new PostReader(dataSource, clock, search, stats.rarity),
    authors: new TermReader(dataSource, clock, AUTHOR_TERMS),
    tags: new TermReader(dataSource, clock, TAG_TERMS),
    categories: new TermReader(dataSource, clock, CATEGORY_TERMS),
  };
}
