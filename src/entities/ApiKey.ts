import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../services/access';

/** An API key. Only a hash of the secret is stored; the key itself is shown once, at creation. */
@Entity('api_keys')
export class ApiKey {
  /** Public identifier (shown in lists and revisions, used to revoke). */
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Column('varchar', { length: 200 })
  name: string;

  @Column('varchar', { length: 16 })
  role: Exclude<Role, 'anonymous'>;

  /** SHA-256 of the secret, hex. Keys are 256-bit random, so a fast hash is enough. */
  @Index('UQ_api_keys_hash', { unique: true })
  @Column('varchar', { length: 64 })
  hash: string;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;
}
