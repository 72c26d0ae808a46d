import type { CacheState } from '../services/cache';
import type { Services } from '../services/registry';
import type { Viewer } from '../services/access';
import { Cancellation, createLoaders, Loaders } from './loaders';

/** What every resolver receives: who is asking, the per-request loaders, and the services. */
export interface Context {
  viewer: Viewer;
  loaders: Loaders;
  services: Services;
  /** The content generation and next scheduled publication, read at most once per request. */
  cacheState: () => Promise<CacheState>;
  /** Fires when the request's deadline passes or its client hangs up: the loaders start no more SQL. */
  signal?: Cancellation;
}

/** `state`: the content state already read for this request (by the response cache), if any. */
export function createContext(services: Services, viewer: Viewer, state?: Promise<CacheState>, signal?: Cancellation): Context {
  return {
    viewer,
    signal,
    loaders: createLoaders(services, viewer, signal),
    services,
    cacheState: () => (state ??= services.contentState.read(services.clock.now())),
  };
}
