import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PresentationSettings } from '../../config';
import { Post, PreviewLink } from '../../entities';
import { isEditor, requireEditor, Viewer } from '../access';
import type { PostReader } from '../posts/read';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';
import { badInput, fromGlobalId, keyOfGlobalId, KijiError } from '../shared';

/** A preview link's token: `kpv_` and 32 random bytes in base64url. Anything else is no token at all. */
const TOKEN_FORMAT = /^kpv_[A-Za-z0-9_-]{43}$/;

/** The lifetime a link gets when its creator names none (at most KIJI_PREVIEW_MAX_HOURS). */
export const DEFAULT_PREVIEW_HOURS = 7 * 24;

const HOUR_MS = 3_600_000;

/**
 * Who reads a preview link's post: it sees drafts and scheduled posts, as a preview key does, but
 * only for the one read of the post the link names; the rest of the request runs as its caller.
 */
const LINK_HOLDER: Viewer = { role: 'preview', keyId: null, keyName: null };

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What the post of a preview link is read with (the request's loaders keep its relations). */
export type PreviewRead = Parameters<PostReader['byIds']>[2];

/** A new link with its token, which is shown this once, and the address that carries it. */
export interface PreviewLinkCreation {
  link: PreviewLink;
  token: string;
  url: string;
}

/**
 * Preview links: a random token that shows one post, whatever its status, to whoever holds it,
 * until it expires or an editor revokes it. As for API keys only a hash of the token is stored,
 * so neither the database nor a backup of it gives a working link. Links are not content: no
 * public answer depends on them (answers to `previewPost` are never kept, cache-policy.ts), so
 * making or revoking one bumps no content generation and takes no write lock.
 */
export class PreviewLinks {
  constructor(
    private readonly dataSource: DataSource,
    /** Links are written in its turns: on SQLite's one connection, a write outside them would join, and be rolled back with, whichever write transaction is open. */
    private readonly lock: WriteLock,
    private readonly clock: Clock,
    private readonly posts: PostReader,
    private readonly settings: Pick<PresentationSettings, 'previewUrlTemplate' | 'previewMaxHours'>,
    /** A page address made absolute (KIJI_SITE_URL), as `Post.url` is for apps. */
    private readonly pageUrl: (pathOrUrl: string) => string,
  ) {}

  /** The lifetime a link gets when its creator names none. */
  get defaultHours(): number {
    return Math.min(DEFAULT_PREVIEW_HOURS, this.settings.previewMaxHours);
  }

  /** Makes a link to a post (by its global ID) that is not deleted; editors and admins only. */
  async create(viewer: Viewer, postGlobalId: string, expiresInHours?: number | null): Promise<PreviewLinkCreation> {
    requireEditor(viewer);
    const ref = fromGlobalId(postGlobalId, 'postId');
    if (ref.type !== 'Post') throw badInput('`postId` is not the ID of a post', { argument: 'postId' });
    const postId = ref.id;
    const max = this.settings.previewMaxHours;
    const hours = expiresInHours ?? this.defaultHours;
    if (!Number.isInteger(hours) || hours < 1 || hours > max) {
      throw badInput(`\`expiresInHours\` must be between 1 and ${max} (KIJI_PREVIEW_MAX_HOURS); got ${hours}`, { argument: 'expiresInHours', limit: max });
    }
    const token = `kpv_${randomBytes(32).toString('base64url')}`;
    const now = this.clock.now();
    const row = {
      id: `pl_${randomBytes(16).toString('base64url')}`,
      postId,
      hash: hashOf(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + hours * HOUR_MS),
      revokedAt: null,
      createdBy: viewer.keyName ?? viewer.role,
    };
    await this.lock.transaction(
      async (manager) => {
        // In the transaction that inserts the link: not for a post deleted meanwhile (SQLite: nor for one an open write made).
        const post = await manager.createQueryBuilder(Post, 'p').select('p.id').where('p.id = :postId AND p.deletedAt IS NULL', { postId }).getOne();
        if (!post) throw new KijiError('NOT_FOUND', 'There is no post with this `postId` (or it is deleted)', { argument: 'postId' });
        await manager.insert(PreviewLink, row);
      },
      { content: false },
    );
    const link = this.dataSource.getRepository(PreviewLink).create(row);
    return { link, token, url: this.pageUrl(this.settings.previewUrlTemplate.replace('{token}', token)) };
  }

  /** Revokes a link by its global ID; revoking twice keeps the first time. Editors and admins only. */
  async revoke(viewer: Viewer, globalId: string): Promise<PreviewLink> {
    requireEditor(viewer);
    const id = keyOfGlobalId(globalId, 'PreviewLink');
    return this.lock.transaction(
      async (manager) => {
        const link = await manager.findOneBy(PreviewLink, { id });
        if (!link) throw new KijiError('NOT_FOUND', 'There is no preview link with this `id`', { argument: 'id' });
        if (!link.revokedAt) {
          link.revokedAt = this.clock.now();
          await manager.update(PreviewLink, { id }, { revokedAt: link.revokedAt });
        }
        return link;
      },
      { content: false },
    );
  }

  /** Links by key, for `node(id:)`: none unless the viewer is an editor or admin. */
  async byIds(viewer: Viewer, ids: readonly string[]): Promise<PreviewLink[]> {
    if (ids.length === 0 || !isEditor(viewer)) return [];
    return this.dataSource
      .getRepository(PreviewLink)
      .createQueryBuilder('l')
      .where('l.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  /** Each post's links that still work (neither expired nor revoked), newest first; one statement for all posts. */
  async activeFor(postIds: readonly number[]): Promise<Map<number, PreviewLink[]>> {
    const links = new Map<number, PreviewLink[]>(postIds.map((id) => [id, []]));
    if (postIds.length === 0) return links;
    const rows = await this.dataSource
      .getRepository(PreviewLink)
      .createQueryBuilder('l')
      .where('l.postId IN (:...postIds) AND l.revokedAt IS NULL AND l.expiresAt > :now', { postIds: [...postIds], now: this.clock.now() })
      .orderBy('l.createdAt', 'DESC')
      .addOrderBy('l.id', 'DESC')
      .getMany();
    for (const row of rows) links.get(row.postId)?.push(row);
    return links;
  }

  /**
   * The post a token shows, whatever its status, but never a deleted one; null for a token that is
   * malformed, unknown, expired or revoked. The token is checked first, by its hash (so it reaches
   * neither the SQL nor its logged parameters), on every call: nothing is remembered between
   * requests, and a revocation or an expiry holds from the very next one.
   */
  async post(token: string, read: PreviewRead): Promise<Post | null> {
    if (!TOKEN_FORMAT.test(token)) return null;
    const link = await this.dataSource
      .getRepository(PreviewLink)
      .createQueryBuilder('l')
      .select('l.postId')
      .where('l.hash = :hash AND l.revokedAt IS NULL AND l.expiresAt > :now', { hash: hashOf(token), now: this.clock.now() })
      .getOne();
    if (!link) return null;
    const [post] = await this.posts.byIds(LINK_HOLDER, [link.postId], read);
    return post ?? null;
  }
}
