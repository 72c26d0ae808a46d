import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Post } from './Post';

/*
 * Tables behind related articles. The full-text index itself (`post_search`) is not an entity:
 * it is an FTS5 virtual table on SQLite and a tsvector table on PostgreSQL, made by migration
 * and written by the search index service.
 */

/** A post's strongest terms (tf-idf, L2-normalized) for text similarity. */
@Entity('post_terms')
@Index('IDX_post_terms_term', ['term', 'postId'])
export class PostTerm {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('varchar', { length: 64 })
  term: string;

  @Column('double precision')
  weight: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;
}

/** In how many posts a term occurs (document frequency), for idf. */
@Entity('term_stats')
export class TermStat {
  @PrimaryColumn('varchar', { length: 64 })
  term: string;

  @Column('integer')
  df: number;
}

/** A post's precomputed neighbours, best first; kept current as posts change. */
@Entity('related_posts')
@Index('IDX_related_posts_related', ['relatedId'])
// Score descending in the database (migration RelatedRanked): TypeORM neither writes nor compares an index column's direction.
@Index('IDX_related_posts_ranked', ['postId', 'score', 'relatedId'])
export class RelatedLink {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  relatedId: number;

  @Column('double precision')
  score: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'relatedId' })
  related?: Post;
}
