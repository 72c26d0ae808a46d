import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';
import { SearchAndRelated1764500000000 } from './1764500000000-SearchAndRelated';
import { EditorTooling1764600000000 } from './1764600000000-EditorTooling';
import { ContentState1764700000000 } from './1764700000000-ContentState';
import { SearchMatches1764800000000 } from './1764800000000-SearchMatches';
import { RelatedPending1764900000000 } from './1764900000000-RelatedPending';
import { SyncLog1765000000000 } from './1765000000000-SyncLog';
import { Webhooks1765100000000 } from './1765100000000-Webhooks';
import { Presentation1765200000000 } from './1765200000000-Presentation';
import { TermPages1765300000000 } from './1765300000000-TermPages';
import { SearchSpeed1765400000000 } from './1765400000000-SearchSpeed';
import { SearchHeadSqlite1765500000000 } from './1765500000000-SearchHeadSqlite';
import { RelatedRanked1765600000000 } from './1765600000000-RelatedRanked';

/** The migration history, oldest first; both databases run exactly this list. */
export const MIGRATIONS = [
  InitialSchema1764400000000,
  SearchAndRelated1764500000000,
  EditorTooling1764600000000,
  ContentState1764700000000,
  SearchMatches1764800000000,
  RelatedPending1764900000000,
  SyncLog1765000000000,
  Webhooks1765100000000,
  Presentation1765200000000,
  TermPages1765300000000,
  SearchSpeed1765400000000,
  SearchHeadSqlite1765500000000,
  RelatedRanked1765600000000,
];
