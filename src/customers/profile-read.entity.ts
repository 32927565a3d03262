import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A subscriber profile a person opened (migration ProfileReads); `withCall`: a call with the number was in progress at the read. */
@Entity({ name: 'profile_reads' })
export class ProfileReadEntity {
  @PrimaryGeneratedColumn({ type: 'integer' }) id: number;
  @Column({ type: 'text' }) at: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ type: 'text' }) username: string;
  @Column({ type: 'text' }) role: string;
  @Column({ type: 'text' }) msisdn: string;
  @Column({ name: 'with_call', type: 'boolean' }) withCall: boolean;
}
