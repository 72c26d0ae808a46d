import type { Services } from '../services/registry';
import type { Viewer } from '../services/viewer';
import { createLoaders, Loaders } from './loaders';

/** What every resolver receives: who is asking, the per-request loaders, and the services. */
export interface Context {
  viewer: Viewer;
  loaders: Loaders;
  services: Services;
  /** Posts this request returned from a search, with the query's terms (for `searchSnippet`). */
  searchTerms: Map<number, string[][]>;
}

export function createContext(services: Services, viewer: Viewer): Context {
  return { viewer, loaders: createLoaders(services, viewer), services, searchTerms: new Map() };
}
