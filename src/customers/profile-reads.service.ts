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
    // Only a read recorded without a call in progress is matched against the calls, and only against
    // those that could match it: started by the latest read's time + FOLLOWING_CALL_MS, not ended before
    // the earliest read — not every call the numbers ever made (a year of history per number).
    const open = rows.filter((r) => !r.withCall);
    const numbers = [...new Set(open.map((r) => r.msisdn))];
    const earliest = open.reduce((m, r) => (r.at < m ? r.at : m), open[0]?.at ?? '');
    const latest = open.reduce((m, r) => (r.at > m ? r.at : m), '');
    const calls = numbers.length
      ? await sqlPort(this.dataSource).all<{ agentId: string; callerNumber: string; startedAt: string; endedAt: string | null }>(
          `SELECT agent_id AS "agentId", caller_number AS "callerNumber", started_at AS "startedAt", ended_at AS "endedAt" FROM calls
           WHERE caller_number IN (${numbers.map(() => '?').join(', ')}) AND started_at <= ? AND (ended_at IS NULL OR ended_at >= ?)`,
          [...numbers, followingStart(latest), earliest],
        )
      : [];
    // By reader and number: each read looks at its own few calls, not at all of them.
    const callsOf = new Map<string, typeof calls>();
    for (const c of calls) {
      const key = `${c.agentId} ${c.callerNumber}`;
      const list = callsOf.get(key);
      if (list) list.push(c);
      else callsOf.set(key, [c]);
    }
    const forCall = (r: ProfileReadEntity) => {
      const latestStart = followingStart(r.at);
      return (callsOf.get(`${r.userId} ${r.msisdn}`) ?? []).some((c) => c.startedAt <= latestStart && (c.endedAt === null || c.endedAt >= r.at));
    };
    return rows
      .map((r) => ({ id: Number(r.id), at: r.at, username: r.username, role: r.role, msisdn: r.msisdn, forCall: !!r.withCall || forCall(r) }))
      .filter((r) => !filter.withoutCall || !r.forCall)
      .slice(0, LIST_LIMIT);
  }
}

/** The latest start of a call the read at `at` was for. */
const followingStart = (at: string): string => new Date(Date.parse(at) + FOLLOWING_CALL_MS).toISOString();
