import type { Role } from '../../protocol/auth';

/** What the configuration says about the provider's claims (docs/SSO.md). */
export interface ClaimMapping {
  usernameClaim: string;
  rolesClaim: string;
  roleMap: Record<string, Role>;
  teamsClaim: string;
  teamMap: Record<string, string>;
}

/** What the ID token says about a user, in laihua's terms; `role`/`team` undefined: the provider did not say. */
export interface MappedClaims {
  username?: string;
  role?: Role;
  team?: string;
}

/** The highest laihua role wins when the provider gives several (an admin who is also an agent is an admin). */
const RANK: Role[] = ['agent', 'qa', 'supervisor', 'admin'];

const values = (claim: unknown): string[] =>
  typeof claim === 'string' ? [claim] : Array.isArray(claim) ? claim.filter((v): v is string => typeof v === 'string') : [];

/** Provider values with no entry in a map are ignored: the provider knows more groups than laihua. */
export function mapClaims(claims: Record<string, unknown>, mapping: ClaimMapping): MappedClaims {
  const name = claims[mapping.usernameClaim];
  const mapped: MappedClaims = { username: typeof name === 'string' && name !== '' ? name : undefined };
  if (mapping.rolesClaim !== '') {
    const roles = values(claims[mapping.rolesClaim]).flatMap((v) => (mapping.roleMap[v] ? [mapping.roleMap[v]] : []));
    mapped.role = roles.sort((a, b) => RANK.indexOf(b) - RANK.indexOf(a))[0];
  }
  if (mapping.teamsClaim !== '') mapped.team = values(claims[mapping.teamsClaim]).flatMap((v) => (mapping.teamMap[v] ? [mapping.teamMap[v]] : []))[0];
  return mapped;
}
