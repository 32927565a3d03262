import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every version of the related-marketing matrix a call may have used, frozen. */
@Entity({ name: 'matrix_versions' })
export class MatrixVersionEntity {
  @PrimaryColumn({ type: 'integer' }) version: number;
  @Column({ type: 'text' }) hash: string;
  @Column({ type: 'text' }) definition: string;
  @Column({ name: 'created_at', type: 'text' }) createdAt: string;
}
