/** Every kind of caller for the access matrix (test/e2e/access-matrix.e2e-spec.ts): the four roles' real tokens, no token, and tokens that must all be refused. */
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { PrincipalKind } from './access-table';

export interface Principal {
  name: string;
  kind: PrincipalKind;
  token?: string;
}

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

/**
 * The demo users' tokens (agent1, supervisor1, qa1, admin1) as role principals; then no token, expired, signed with another key,
 * unsigned (alg none), malformed, role altered after signing, a user who does not exist, and the metrics scrape token.
 */
export function everyCaller(tokens: Record<string, string>, opts: { jwtSecret: string; metricsToken: string }): Principal[] {
  const signer = new JwtService({ secret: opts.jwtSecret });
  const supervisor = payloadOf(tokens.supervisor1);
  const agent = payloadOf(tokens.agent1);
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: supervisor.sub, username: 'supervisor1', role: 'supervisor' };
  const [header, , signature] = tokens.agent1.split('.');
  return [
    { name: 'agent', kind: { role: 'agent' }, token: tokens.agent1 },
    { name: 'supervisor', kind: { role: 'supervisor' }, token: tokens.supervisor1 },
    { name: 'qa', kind: { role: 'qa' }, token: tokens.qa1 },
    { name: 'admin', kind: { role: 'admin' }, token: tokens.admin1 },
    { name: 'no token', kind: { invalid: 'none' } },
    { name: 'expired', kind: { invalid: 'expired' }, token: signer.sign({ ...claims, iat: now - 3600, exp: now - 60 }) },
    {
      name: 'other key',
      kind: { invalid: 'other key' },
      token: new JwtService({ secret: `another-key-${'k'.repeat(40)}` }).sign(claims),
    },
    {
      name: 'alg none',
      kind: { invalid: 'unsigned' },
      token: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, iat: now, exp: now + 600 })}.`,
    },
    { name: 'malformed', kind: { invalid: 'malformed' }, token: 'not.a-jwt' },
    { name: 'role altered', kind: { invalid: 'altered' }, token: `${header}.${b64url({ ...agent, role: 'supervisor' })}.${signature}` },
    {
      name: 'unknown user',
      kind: { invalid: 'unknown user' },
      token: signer.sign({ sub: randomUUID(), username: 'ghost', role: 'supervisor', iat: now, exp: now + 600 }),
    },
    { name: 'metrics token', kind: { metrics: true }, token: opts.metricsToken },
  ];
}
