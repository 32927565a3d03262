import { type ClaimMapping, mapClaims } from './claim-mapping';

const mapping: ClaimMapping = {
  usernameClaim: 'preferred_username',
  rolesClaim: 'groups',
  roleMap: { 'hl-agents': 'agent', 'hl-leads': 'supervisor', 'hl-admins': 'admin' },
  teamsClaim: 'teams',
  teamMap: { 'grp-north': 'north' },
};

describe('mapClaims', () => {
  it('maps the username, the highest mapped role and the first mapped team', () => {
    expect(mapClaims({ preferred_username: 'li', groups: ['hl-agents', 'hl-leads', 'other'], teams: ['x', 'grp-north'] }, mapping)).toEqual({
      username: 'li',
      role: 'supervisor',
      team: 'north',
    });
  });

  it('takes a single string claim as one value', () => {
    expect(mapClaims({ preferred_username: 'li', groups: 'hl-admins', teams: 'grp-north' }, mapping)).toEqual({ username: 'li', role: 'admin', team: 'north' });
  });

  it('gives no role or team when nothing maps, and no username when the claim is missing or not a string', () => {
    expect(mapClaims({ groups: ['unknown'], teams: 7 }, mapping)).toEqual({ username: undefined, role: undefined, team: undefined });
    expect(mapClaims({ preferred_username: 42 }, mapping).username).toBeUndefined();
  });

  it('leaves role and team alone when no claim is configured for them', () => {
    expect(mapClaims({ preferred_username: 'li', groups: ['hl-admins'] }, { ...mapping, rolesClaim: '', teamsClaim: '' })).toEqual({ username: 'li' });
  });
});
