import type { EntityManager } from 'typeorm';
import type { Post } from '../../../entities';

/** One stored change to a post, as the write path hands it to its recorders. */
export interface PostChange {
  /** The post as it was before this write; null when the write created it. */
  before: Post | null;
  /** The post as this write stored it (its new version). */
  after: Post;
  /** The write's time, by Kiji's clock. */
  at: Date;
}

/**
 * Something that must be written in the same transaction as every change to a post (the partners'
 * change log, the webhook outbox): what it writes commits or rolls back with the change itself, so
 * nothing a partner or a receiver is told about can be lost by a crash, nor told of a change that
 * did not happen.
 */
export interface PostChangeRecorder {
  /** Records changes of one transaction, in the order they were made (a batch of an import's, or one). */
  record(manager: EntityManager, changes: readonly PostChange[]): Promise<void>;
}
