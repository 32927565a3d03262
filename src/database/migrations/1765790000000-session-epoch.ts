import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.session_epoch`: a token carries the epoch its user had when it was issued, and holds only
 * while the row still has it. Logging out moves it on (POST /api/auth/logout): every token and socket
 * of that user stops working at once, on every node — there is no other way to take back a signed
 * token before it expires. Tokens issued before this column carry no epoch and count as 0.
 */
export class SessionEpoch1765790000000 implements MigrationInterface {
  name = 'SessionEpoch1765790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" ADD COLUMN "session_epoch" integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP COLUMN "session_epoch"`);
  }
}
