import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { StoreSettings, toInt } from './store-settings';

const toBool = ({ value }: { value: unknown }) => (value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase()));

/**
 * The operator's own systems laihua connects to (AppConfig extends this: validated with it at boot):
 * its back end over HTTP (docs/BACKEND-HTTP.md), its telephony (docs/CTI.md) and its single sign-on
 * (docs/SSO.md). Everything is off by default: the simulator, no CTI, local passwords.
 */
export class IntegrationSettings extends StoreSettings {
  /** Business timeout for a back-end step (the blueprint's 10 s). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600_000)
  BACKEND_TIMEOUT_MS = 10_000;

  /** Simulated back-end round trip of the embedded simulator. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SIM_LATENCY_MS = 30;

  /** How long a simulated subscriber whose back end is `slow` waits before answering (a latency spike). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SIM_SPIKE_MS = 3_000;

  /** Which back end the calls talk to: the embedded simulator, or the operator's systems over HTTP (docs/BACKEND-HTTP.md). */
  @IsIn(['simulator', 'http'])
  BACKEND: 'simulator' | 'http' = 'simulator';

  /** BACKEND=http: the declarative mapping of each port operation onto the operator's HTTP API, checked at boot. */
  @IsString()
  @MinLength(1)
  BACKEND_MAPPING_FILE = './backends/reference-mapping.json';

  /** BACKEND=http: overrides the mapping file's `baseUrl` (one mapping, several environments). */
  @IsString()
  BACKEND_BASE_URL = '';

  /**
   * Telephony (docs/CTI.md): the shared secret the CTI system signs `POST /api/cti/events` with
   * (HMAC-SHA-256, ≥ 32 chars). Empty (default): CTI is off and the route refuses every request.
   */
  @IsString()
  @Matches(/^$|^.{32,}$/, { message: 'CTI_SECRET: empty (CTI off) or at least 32 characters' })
  CTI_SECRET = '';

  /** How far a CTI event's signed timestamp may be from the server's clock, either way. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600)
  CTI_WINDOW_SECONDS = 300;

  /**
   * Satisfaction (docs/SATISFACTION.md): the shared secret the SMS gateway and the IVR sign
   * `POST /api/satisfaction/replies` with, as CTI events are signed (≥ 32 chars; the window is
   * CTI_WINDOW_SECONDS). Empty (default): survey answers are off and the route refuses every request.
   */
  @IsString()
  @Matches(/^$|^.{32,}$/, { message: 'SURVEY_SECRET: empty (survey answers off) or at least 32 characters' })
  SURVEY_SECRET = '';

  /** IVR menu codes → the business suggested on screen pop (docs/CTI.md); read and checked at boot when CTI is on. */
  @IsString()
  @MinLength(1)
  CTI_IVR_MAP_FILE = './flows/cti/ivr-map.json';

  /**
   * Single sign-on (docs/SSO.md): the OpenID Connect provider's issuer URL. Empty (default): SSO off.
   * With it: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI are required.
   */
  @IsString()
  @Matches(/^$|^https?:\/\/\S+$/, { message: 'OIDC_ISSUER: empty (SSO off) or an http(s) URL' })
  OIDC_ISSUER = '';

  @IsString()
  OIDC_CLIENT_ID = '';

  @IsString()
  OIDC_CLIENT_SECRET = '';

  /** Where the provider sends the browser back: laihua's `GET /api/auth/oidc/callback`, as registered with the provider. */
  @IsString()
  @Matches(/^$|^https?:\/\/\S+\/api\/auth\/oidc\/callback$/, { message: 'OIDC_REDIRECT_URI: an http(s) URL ending in /api/auth/oidc/callback' })
  OIDC_REDIRECT_URI = '';

  @IsString()
  @Matches(/^openid( [\w:.-]+)*$/, { message: 'OIDC_SCOPES: space-separated scopes starting with openid' })
  OIDC_SCOPES = 'openid profile';

  /** The name on the login page's button ("Sign in with …"). */
  @IsString()
  @MinLength(1)
  OIDC_PROVIDER_NAME = 'SSO';

  /** The ID token claim naming the laihua user (matched against usernames). */
  @IsString()
  @MinLength(1)
  OIDC_USERNAME_CLAIM = 'preferred_username';

  /** The claim carrying the user's roles / groups at the provider (a string or an array of strings); empty: roles are not taken from the provider. */
  @IsString()
  OIDC_ROLES_CLAIM = '';

  /** Provider role values → laihua roles, JSON: `{"hotline-agents":"agent","hotline-leads":"supervisor"}`. */
  @IsString()
  OIDC_ROLE_MAP = '{}';

  /** The claim carrying the user's teams at the provider; empty: teams are not taken from the provider. */
  @IsString()
  OIDC_TEAMS_CLAIM = '';

  /** Provider team values → laihua team codes, JSON: `{"grp-north":"north"}`. */
  @IsString()
  OIDC_TEAM_MAP = '{}';

  /** Local passwords: off → `POST /api/auth/login` is refused (FORBIDDEN) and the login page shows only the SSO button. */
  @Transform(toBool)
  @IsBoolean()
  LOCAL_PASSWORDS = true;
}

/** SSO on needs the client's registration, and maps that are JSON objects of strings (read again by src/sso). */
export function ssoProblems(config: IntegrationSettings): string[] {
  const problems: string[] = [];
  if (config.OIDC_ISSUER !== '') {
    for (const key of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const)
      if (config[key] === '') problems.push(`  ${key}: required when OIDC_ISSUER is set`);
  } else if (!config.LOCAL_PASSWORDS) problems.push('  LOCAL_PASSWORDS=false: needs OIDC_ISSUER (nobody could sign in)');
  for (const key of ['OIDC_ROLE_MAP', 'OIDC_TEAM_MAP'] as const) {
    let map: unknown;
    try {
      map = JSON.parse(config[key]);
    } catch {
      map = undefined;
    }
    const ok = typeof map === 'object' && map !== null && !Array.isArray(map) && Object.values(map).every((v) => typeof v === 'string');
    if (!ok) problems.push(`  ${key}: a JSON object from provider values to strings`);
    else if (key === 'OIDC_ROLE_MAP') {
      const bad = Object.values(map as Record<string, string>).filter((v) => !['agent', 'supervisor', 'qa', 'admin'].includes(v));
      if (bad.length) problems.push(`  OIDC_ROLE_MAP: unknown laihua roles ${bad.join(', ')} (agent, supervisor, qa, admin)`);
    }
  }
  return problems;
}
