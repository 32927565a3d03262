import type { Role } from '../../../protocol/auth.js';
import type { ImportReport, PeopleAuditEntry, PersonSummary, Team, UpdatePersonRequest } from '../../../protocol/people.js';
import { request } from '../app/api.js';

const enc = encodeURIComponent;
const json = (token: string, method: string, body: unknown) => ({ token, method, body: JSON.stringify(body) });

/** `/api/people` (admins). */
export const peopleApi = {
  users: (token: string) => request<PersonSummary[]>('/api/people/users', { token }),
  create: (token: string, body: { username: string; role: Role; password: string; teamId?: string | null }) =>
    request<PersonSummary>('/api/people/users', json(token, 'POST', body)),
  update: (token: string, id: string, body: UpdatePersonRequest) => request<PersonSummary>(`/api/people/users/${enc(id)}`, json(token, 'PATCH', body)),
  reset: (token: string, id: string, password: string) =>
    request<PersonSummary>(`/api/people/users/${enc(id)}/password-reset`, json(token, 'POST', { password })),
  teams: (token: string) => request<Team[]>('/api/people/teams', { token }),
  createTeam: (token: string, name: string) => request<Team>('/api/people/teams', json(token, 'POST', { name })),
  renameTeam: (token: string, id: string, name: string) => request<Team>(`/api/people/teams/${enc(id)}`, json(token, 'PATCH', { name })),
  import: (token: string, csv: string) => request<ImportReport>('/api/people/import', json(token, 'POST', { csv })),
  audit: (token: string) => request<PeopleAuditEntry[]>('/api/people/audit', { token }),
};
