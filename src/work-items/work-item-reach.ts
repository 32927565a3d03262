import type { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { UserEntity } from '../auth/user.entity';
import { parseSupervises, seesTeam, TeamEntity } from '../people';

/** Who may see and work which items: an agent their desk's (their team), a supervisor the desks they supervise. */
export interface Reach {
  /** The name of the user's own team: their desk. */
  team: string | null;
  sees: (desk: string) => boolean;
}

/** Desks are teams, named in the policy by the team's name (src/people). */
export async function reachOf(dataSource: DataSource, user: AuthUser): Promise<Reach> {
  const row = await dataSource.getRepository(UserEntity).findOne({ where: { id: user.sub }, select: { teamId: true, supervises: true } });
  const names = new Map((await dataSource.getRepository(TeamEntity).find()).map((t) => [t.id, t.name]));
  const team = row?.teamId ? (names.get(row.teamId) ?? null) : null;
  if (user.role === 'supervisor') {
    const supervises = parseSupervises(row?.supervises ?? 'all');
    const ids = new Map([...names].map(([id, name]) => [name, id]));
    return { team, sees: (desk) => supervises === 'all' || seesTeam(supervises, ids.get(desk) ?? null) };
  }
  if (user.role === 'agent') return { team, sees: (desk) => desk === team };
  return { team, sees: () => false };
}
