import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKey } from '../../entities';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';
import { badInput, KijiError } from '../shared';
import type { Role, Viewer } from './viewer';
import { ANONYMOUS } from './viewer';

export const KEY_ROLES: readonly Exclude<Role, 'anonymous'>[] = ['reader', 'partner', 'preview', 'editor', 'admin'];
const KEY_FORMAT = /^kiji_[A-Za-z0-9_-]{43}$/;

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * API keys: created with a role, stored only as a hash, shown once. A request without a key is
 * anonymous; a key that is malformed, unknown or revoked is refused, never taken as anonymous.
 */
export class ApiKeyService {
  constructor(
    private readonly dataSource: DataSource,
    /** Keys are written in its turns: on SQLite's one connection, a write outside them would join, and be rolled back with, whichever write transaction is open. */
    private readonly lock: WriteLock,
    private readonly clock: Clock,
  ) {}

  async create(role: string, name: string): Promise<{ key: ApiKey; secret: string }> {
    if (!KEY_ROLES.includes(role as never)) throw badInput(`role must be one of ${KEY_ROLES.join(', ')}; got "${role}"`);
    if (!name.trim() || name.length > 200) throw badInput('name must be 1 to 200 characters');
    const secret = `kiji_${randomBytes(32).toString('base64url')}`;
    const key = this.dataSource.getRepository(ApiKey).create({
      id: randomUUID(),
      name: name.trim(),
      role: role as ApiKey['role'],
      hash: hashOf(secret),
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    await this.lock.transaction((manager) => manager.insert(ApiKey, key), { content: false });
    return { key, secret };
  }

  list(): Promise<ApiKey[]> {
    return this.dataSource.getRepository(ApiKey).find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
  async revoke(id: string): Promise<boolean> {
    return this.lock.transaction(
      async (manager) => {
        const key = await manager.findOneBy(ApiKey, { id });
        if (!key) return false;
        if (!key.revokedAt) await manager.update(ApiKey, { id }, { revokedAt: this.clock.now() });
        return true;
      },
      { content: false },
    );
  }

  /** The viewer an `Authorization` header stands for. */
  async authenticate(authorization: string | undefined): Promise<Viewer> {
    if (authorization === undefined || authorization.trim() === '') return ANONYMOUS;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match || !KEY_FORMAT.test(match[1])) {
      throw new KijiError('UNAUTHENTICATED', 'The Authorization header must be "Bearer <Kiji API key>"');
    }
    const key = await this.dataSource.getRepository(ApiKey).findOneBy({ hash: hashOf(match[1]) });
    if (!key || key.revokedAt) throw new KijiError('UNAUTHENTICATED', 'This API key is not valid (unknown or revoked)');
    return { role: key.role, keyId: key.id, keyName: key.name };
  }
}
