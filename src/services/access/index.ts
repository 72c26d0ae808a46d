/**
 * Who is asking: API keys (stored as hashes) and the viewer a request runs as.
 * This file is the folder's public face: code outside it imports from here.
 */
export { ApiKeyService } from './api-keys';
export { ANONYMOUS, isEditor, requireAdmin, requireEditor, requirePartner, seesUnpublished } from './viewer';
export type { Viewer } from './viewer';
export type { Role } from './viewer';
