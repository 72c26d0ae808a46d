import type { CacheState } from '../services/cache';
import type { Services } from '../services/registry';
import type { Viewer } from '../services/access';
import type { RequestRecord } from '../http/request-log';
import { createLoaders, Loaders } from './loaders';

/** What every resolver receives: who is asking, the per-request loaders, and the services. */
export interface Context {
  viewer: Viewer;
  loaders: Loaders;
  services: Services;
  /** The content generation and next scheduled publication, read at most once per request. */
  cacheState: () => Promise<CacheState>;
  /**
   * Whether every read made for this request so far saw only committed rows (SQLite: no write
   * transaction was open on the one connection since the request started): else its answer may
   * hold rows a rollback takes back, and no cache may keep it (cache-policy.ts).
   */
  readsCommitted: () => boolean;
  /**
   * The HTTP request's record (its id, client address, log line), which also says when its deadline
   * passed or its client hung up (the loaders then start no more SQL): absent outside the HTTP server.
   */
  request?: RequestRecord;
}

/**
 * `state`: the content state already read for this request (by the response cache), if any;
 * `request`: the HTTP request's record, which is also what says it was stopped;
 * `readsCommitted`: the check the response cache took before it read the state, if it did.
 */
export function createContext(
  services: Services,
  viewer: Viewer,
  state?: Promise<CacheState>,
  request?: RequestRecord,
  readsCommitted: () => boolean = services.writeLock.quietFromNow(),
): Context {
  return {
    readsCommitted,
    viewer,
    request,
    loaders: createLoaders(services, viewer, request),
    services,
    cacheState: () => (state ??= services.contentState.read(services.clock.now())),
  };
}
