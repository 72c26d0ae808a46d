import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';

/** The migration history, oldest first; both databases run exactly this list. */
export const MIGRATIONS = [InitialSchema1764400000000];
