import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ProfileRead } from '../../protocol/customers';
import type { AuthUser } from '../auth/auth-user';
import { sqlPort } from '../common/sql-port';
import { ProfileReadEntity } from './profile-read.entity';

/** The most rows one listing answers (newest first), and how many recent reads a `withoutCall` listing looks through. */
const LIST_LIMIT = 500;
const SCAN_LIMIT = 5_000;
/** A screen pop comes before its call: a call the reader started this soon after the read was what the read was for. */
const FOLLOWING_CALL_MS = 10 * 60_000;

/**
 * Every subscriber profile a person opens is recorded (issue 17 item 8): who, when, which number,
 * and whether they had a call in progress with it — a read without a call is what an auditor looks
 * for. The row is written before the profile is answered, so an unrecorded read cannot happen.
 */
@Injectable()
export class ProfileReads {
  constructor(private readonly dataSource: DataSource) {}

  async record(user: AuthUser, msisdn: string): Promise<void> {
    const withCall = !!(await sqlPort(this.dataSource).get(`SELECT 1 AS one FROM calls WHERE agent_id = ? AND caller_number = ? AND status = 'active'`, [
      user.sub,
      msisdn,
    ]));
    await this.dataSource.getRepository(ProfileReadEntity).insert({
      at: new Date().toISOString(),
      userId: user.sub,
      username: user.username,
      role: user.role,
      msisdn,
      withCall,
    });
  }

  /**
   * Newest first. `forCall`: the reader had a call with that number in progress at the read, or
   * started one within FOLLOWING_CALL_MS after it (the screen pop comes before the call starts); a
   * read with neither is the one to look at (`withoutCall`).
   */
  async list(filter: { msisdn?: string; withoutCall?: boolean }): Promise<ProfileRead[]> {
    const rows = await this.dataSource.getRepository(ProfileReadEntity).find({
      where: filter.msisdn ? { msisdn: filter.msisdn } : {},
      order: { id: 'DESC' },
      take: filter.withoutCall ? SCAN_LIMIT : LIST_LIMIT,
    });
    const numbers = [...new Set(rows.map((r) => r.msisdn))];
    const calls = numbers.length
      ? await sqlPort(this.dataSource).all<{ agentId: string; callerNumber: string; startedAt: string; endedAt: string | null }>(
          `SELECT agent_id AS "agentId", caller_number AS "callerNumber", started_at AS "startedAt", ended_at AS "endedAt" FROM calls WHERE caller_number IN (${numbers.map(() => '?').join(', ')})`,
          numbers,
        )
      : [];
    const forCall = (r: ProfileReadEntity) => {
      const latestStart = new Date(Date.parse(r.at) + FOLLOWING_CALL_MS).toISOString();
      return calls.some(
        (c) => c.agentId === r.userId && c.callerNumber === r.msisdn && c.startedAt <= latestStart && (c.endedAt === null || c.endedAt >= r.at),
      );
    };
    return rows
      .map((r) => ({ id: Number(r.id), at: r.at, username: r.username, role: r.role, msisdn: r.msisdn, forCall: !!r.withCall || forCall(r) }))
      .filter((r) => !filter.withoutCall || !r.forCall)
      .slice(0, LIST_LIMIT);
  }
}
