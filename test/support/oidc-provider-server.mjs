/**
 * A real OpenID Connect provider (the `oidc-provider` package, ESM-only: hence its own process) for
 * the SSO tests. argv: port, redirect URI, JSON of accounts {username: {groups, teams}}. Its login
 * page is the package's development one (any password). TAMPER=audience|expired re-signs the ID
 * token it issues, with its own key, for another client or already expired: what openid-client must
 * refuse. Prints "ready <issuer>" when listening.
 */
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const [port, redirectUri, accountsJson] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'laihua', client_secret: 'laihua-test-secret', redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] },
  ],
  jwks: { keys: [jwk] },
  claims: { openid: ['sub'], profile: ['preferred_username', 'groups', 'teams'] },
  // Profile claims in the ID token itself (laihua reads only the ID token).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, preferred_username: id, ...(accounts[id] ?? {}) }) }),
  // The organisation's app is pre-approved: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['preferred_username', 'groups', 'teams']);
    await grant.save();
    return grant;
  },
});

if (process.env.TAMPER) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || !ctx.body?.id_token) return;
    const claims = decodeJwt(ctx.body.id_token);
    const now = Math.floor(Date.now() / 1000);
    if (process.env.TAMPER === 'audience') claims.aud = 'another-client';
    if (process.env.TAMPER === 'expired') Object.assign(claims, { iat: now - 3600, exp: now - 600 });
    ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(privateKey) };
  });
}

provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
