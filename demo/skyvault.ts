// A SkyVault-like provider: authorization code grant (user id + password login page, optional
// PKCE S256), the device grant (RFC 8628, device-endpoint.ts), JSON token endpoint with client
// secret, refresh tokens, revocation (RFC 7009), and a
// small API answering in SkyVault's paginated list shape.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { admitApiRequest, authenticateBearer, sendApiJson } from './api';
import { authorizeHandler, checkAuthorizeRequest, redirectError, type AuthorizeCheck, type AuthorizeRequest } from './authorize-endpoint';
import { DEVICE_CODE_GRANT, deviceGrant, VERIFICATION_PATH } from './device-endpoint';
import { AUTH_PAGE_HEADERS, codeList, escapeHtml, hiddenFields } from './html';
import { FORM_MEDIA_TYPE, redirect, send, sendEmpty, sendHtml, sendJson, sendText, type DemoRequest, type RecordedRequest } from './http';
import {
  isValidCodeVerifier,
  isValidS256Challenge,
  param,
  parseBasicAuth,
  repeatedParam,
  safeEqual,
  sendTokenError,
  sha256Base64Url,
  withParams,
} from './oauth';
import { providerPages, startProviderSite } from './provider-site';

export const SKYVAULT_CLIENT_ID = 'skyvault-demo-key';
export const SKYVAULT_CLIENT_SECRET = 'skyvault-demo-secret';
export const SKYVAULT_APP_NAME = 'TokenTap Demo';
export const SKYVAULT_USER_ID = 'fred.bloggs';
export const SKYVAULT_PASSWORD = 'skyvault';
export const SKYVAULT_SCOPE = 'public_api';
export const ORIGIN_REJECTED_DESCRIPTION = 'Cross-origin token redemption is not allowed for confidential clients';

const REALM = 'SkyVault API';
const pages = providerPages({ brand: 'SkyVault', accent: '#1d4ed8', client: 'application' });
const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;
const TOKEN_PARAMS = [
  'grant_type',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
  'scope',
  'client_id',
  'client_secret',
  'token',
  'token_type_hint',
  'device_code',
] as const;
const API_ROUTES = { '/api/sites': ['GET'], '/api/people/-me-': ['GET'] } as const;

export interface SkyVaultConfig {
  /** How long an authorization code can be exchanged. Default 600 (10 minutes). */
  codeLifetimeSeconds: number;
  /** `expires_in` of new access tokens. Default 3600 (1 hour). */
  accessTokenLifetimeSeconds: number;
  /** Lifetime of new refresh tokens. Default 604800 (7 days). */
  refreshTokenLifetimeSeconds: number;
  /** Issue a new refresh token on each refresh; the old one stops working. Default false. */
  rotateRefreshTokens: boolean;
  /** Refuse token and revocation requests that carry an `Origin` header. Default false. */
  rejectRequestsWithOrigin: boolean;
  /** When set, sent as `iss` in authorization responses (RFC 9207). Default unset. */
  issuer?: string;
  /** Spoils the token endpoint's answers (code exchange and refresh alike). Default 'none'. */
  tokenFault: SkyVaultTokenFault;
  /** Spoils the redirect after a successful login. Default 'none'. */
  redirectFault: SkyVaultRedirectFault;
}

/**
 * Ways the token endpoint can fail, for tests of a client's error handling. `http500`, `html` and
 * `dropConnection` answer before looking at the request (the code stays unused); the others issue
 * tokens, as a real server would, and then send a broken answer.
 */
export type SkyVaultTokenFault =
  | 'none'
  /** 500 with a plain-text body. */
  | 'http500'
  /** 200 with an HTML page (as a proxy or a wrong Token URL gives). */
  | 'html'
  /** 200, `application/json`, the token response cut short. */
  | 'invalidJson'
  | 'noAccessToken'
  | 'tokenTypeMac'
  | 'expiresInNegative'
  /** `"expires_in": "3600"`. */
  | 'expiresInString'
  /** The socket is destroyed without an answer: a network failure as the client sees it. */
  | 'dropConnection';

/** Ways the authorization response can go wrong after the user signed in and allowed. */
export type SkyVaultRedirectFault =
  | 'none'
  /** Another `state` than the one the client sent. */
  | 'wrongState'
  /** `state` but no `code`. */
  | 'noCode'
  /** A code that was already redeemed: exchanging it gets `invalid_grant`. */
  | 'usedCode'
  /** `error=temporarily_unavailable` instead of a code. */
  | 'temporarilyUnavailable';

export const DEFAULT_SKYVAULT_CONFIG: Readonly<SkyVaultConfig> = {
  codeLifetimeSeconds: 600,
  accessTokenLifetimeSeconds: 3600,
  refreshTokenLifetimeSeconds: 604_800,
  rotateRefreshTokens: false,
  rejectRequestsWithOrigin: false,
  tokenFault: 'none',
  redirectFault: 'none',
};

export interface SkyVaultClient {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
}

export interface SkyVaultOptions {
  host?: string;
  port?: number;
  /** Callback URLs registered for `skyvault-demo-key`. */
  redirectUris: string[];
  config?: Partial<SkyVaultConfig>;
}

/** The token endpoint's JSON response, exactly in the seed document's shape. */
export interface SkyVaultTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

export interface SkyVaultServer {
  readonly origin: string;
  /** Mutable: changes apply to the next request. */
  readonly config: SkyVaultConfig;
  readonly clients: readonly SkyVaultClient[];
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Every token response the token endpoint built, oldest first, faults or not (to check tokens never leak). */
  readonly issued: SkyVaultTokenResponse[];
  /** Issues tokens directly, as if a code had been exchanged (for tests). */
  issueTokens(): SkyVaultTokenResponse;
  close(): Promise<void>;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scope: string;
  userId: string;
  codeChallenge: string | undefined;
  expiresAt: number;
  used: boolean;
  grantId: string;
}

interface TokenRecord {
  clientId: string;
  userId: string;
  scope: string;
  expiresAt: number;
  grantId: string;
}

interface Site {
  id: string;
  title?: string;
  visibility: 'PRIVATE' | 'PUBLIC' | 'MODERATED';
  description: string;
}

const SITES: ReadonlyArray<{ site: Site; role: string }> = [
  { site: { id: 'general-test-site', title: 'General Test Site', visibility: 'PRIVATE', description: 'Test Site' }, role: 'SiteCollaborator' },
  { site: { id: 'fred-bloggs-yourcompany-com', visibility: 'PRIVATE', description: "Fred Bloggs's private home site." }, role: 'SiteManager' },
  {
    site: { id: 'swsdp', title: 'Sample: Web Site Design Project', visibility: 'PUBLIC', description: 'This is a Sample Site.' },
    role: 'SiteConsumer',
  },
  {
    site: { id: 'marketing', title: 'Marketing', visibility: 'MODERATED', description: 'Campaigns, brand assets and plans.' },
    role: 'SiteContributor',
  },
  {
    site: { id: 'engineering', title: 'Engineering', visibility: 'PUBLIC', description: 'Specs, designs and release notes.' },
    role: 'SiteCollaborator',
  },
  {
    site: { id: 'finance', title: 'Finance', visibility: 'PRIVATE', description: 'Budgets, forecasts and quarterly reports.' },
    role: 'SiteConsumer',
  },
  {
    site: { id: 'human-resources', title: 'Human Resources', visibility: 'PRIVATE', description: 'Policies, onboarding and benefits.' },
    role: 'SiteConsumer',
  },
  { site: { id: 'legal', title: 'Legal', visibility: 'PRIVATE', description: 'Contracts and compliance records.' }, role: 'SiteConsumer' },
  {
    site: { id: 'sales', title: 'Sales', visibility: 'MODERATED', description: 'Proposals, price lists and account plans.' },
    role: 'SiteContributor',
  },
  {
    site: { id: 'support', title: 'Customer Support', visibility: 'PUBLIC', description: 'Known issues and answers to common questions.' },
    role: 'SiteCollaborator',
  },
  {
    site: { id: 'product', title: 'Product Management', visibility: 'MODERATED', description: 'Roadmaps and product requirements.' },
    role: 'SiteContributor',
  },
  { site: { id: 'design', title: 'Design', visibility: 'PUBLIC', description: 'Style guides, icons and mock-ups.' }, role: 'SiteCollaborator' },
  {
    site: { id: 'operations', title: 'Operations', visibility: 'PRIVATE', description: 'Runbooks and on-call rotations.' },
    role: 'SiteManager',
  },
  {
    site: { id: 'security', title: 'Security', visibility: 'PRIVATE', description: 'Threat models and audit findings.' },
    role: 'SiteConsumer',
  },
  {
    site: { id: 'research', title: 'Research', visibility: 'MODERATED', description: 'Studies, interviews and findings.' },
    role: 'SiteContributor',
  },
  { site: { id: 'training', title: 'Training', visibility: 'PUBLIC', description: 'Courses and recorded sessions.' }, role: 'SiteConsumer' },
  {
    site: { id: 'partners', title: 'Partners', visibility: 'MODERATED', description: 'Shared material with partner companies.' },
    role: 'SiteContributor',
  },
  {
    site: { id: 'facilities', title: 'Facilities', visibility: 'PUBLIC', description: 'Office maps, rooms and parking.' },
    role: 'SiteConsumer',
  },
  {
    site: { id: 'procurement', title: 'Procurement', visibility: 'PRIVATE', description: 'Suppliers, orders and tenders.' },
    role: 'SiteConsumer',
  },
  {
    site: { id: 'it-helpdesk', title: 'IT Helpdesk', visibility: 'PUBLIC', description: 'Laptops, accounts and how-to guides.' },
    role: 'SiteCollaborator',
  },
  {
    site: { id: 'events', title: 'Events', visibility: 'MODERATED', description: 'Conferences, meetups and the summer party.' },
    role: 'SiteContributor',
  },
  {
    site: { id: 'archive-2024', title: 'Archive 2024', visibility: 'PRIVATE', description: 'Closed projects from 2024.' },
    role: 'SiteConsumer',
  },
  {
    site: { id: 'fred-bloggs-projects', title: 'Fred Bloggs: Projects', visibility: 'PRIVATE', description: "Fred's drafts and notes." },
    role: 'SiteManager',
  },
];

const PERSON = {
  id: SKYVAULT_USER_ID,
  firstName: 'Fred',
  lastName: 'Bloggs',
  displayName: 'Fred Bloggs',
  email: 'fred.bloggs@yourcompany.com',
  enabled: true,
  emailNotificationsEnabled: true,
  company: {},
};

/** What SkyVault adds to an authorization request it will put to the user. */
type LoginExtra = { client: SkyVaultClient; codeChallenge: string | undefined };
type LoginRequest = AuthorizeRequest & LoginExtra;

export async function startSkyVault(options: SkyVaultOptions): Promise<SkyVaultServer> {
  const config: SkyVaultConfig = { ...DEFAULT_SKYVAULT_CONFIG, ...options.config };
  const clients: SkyVaultClient[] = [
    { clientId: SKYVAULT_CLIENT_ID, clientSecret: SKYVAULT_CLIENT_SECRET, name: SKYVAULT_APP_NAME, redirectUris: [...options.redirectUris] },
  ];
  const issued: SkyVaultTokenResponse[] = [];
  const codes = new Map<string, CodeRecord>();
  const accessTokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, TokenRecord>();
  let origin = '';

  // ---- authorization endpoint -------------------------------------------------------------

  function checkAuthorize(params: URLSearchParams): AuthorizeCheck<LoginExtra> {
    if (params.getAll('client_id').length > 1 || params.getAll('redirect_uri').length > 1) {
      return { kind: 'page', title: 'Invalid request', message: 'client_id and redirect_uri may appear only once.' };
    }
    const clientId = params.get('client_id');
    if (!clientId) return { kind: 'page', title: 'Invalid request', message: 'The client_id parameter (your API Key) is missing.' };
    const client = clients.find((c) => c.clientId === clientId);
    if (!client) {
      return { kind: 'page', title: 'Unknown application', message: `No application has the API Key <code>${escapeHtml(clientId)}</code>.` };
    }
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri) {
      return { kind: 'page', title: 'Invalid request', message: 'The redirect_uri parameter (your callback URL) is missing.' };
    }
    if (!client.redirectUris.includes(redirectUri)) {
      return {
        kind: 'page',
        title: 'Callback URL not registered',
        message:
          `The callback URL <code>${escapeHtml(redirectUri)}</code> is not registered for “${escapeHtml(client.name)}”. ` +
          (client.redirectUris.length ? `Registered: ${codeList(client.redirectUris)}.` : 'No callback URL is registered.'),
      };
    }
    const request = checkAuthorizeRequest(params, redirectUri, 'code', AUTHORIZE_PARAMS);
    if (request.kind === 'redirect-error') return request;
    const scope = params.get('scope');
    if (scope !== SKYVAULT_SCOPE) return redirectError(request, 'invalid_scope', `scope must be "${SKYVAULT_SCOPE}".`);

    const codeChallenge = param(params, 'code_challenge');
    const method = param(params, 'code_challenge_method');
    if (codeChallenge === undefined && method !== undefined) {
      return redirectError(request, 'invalid_request', 'code_challenge_method was sent without a code_challenge.');
    }
    if (codeChallenge !== undefined) {
      if (method !== 'S256') {
        return redirectError(request, 'invalid_request', 'Only code_challenge_method=S256 is supported (plain is not allowed).');
      }
      if (!isValidS256Challenge(codeChallenge)) {
        return redirectError(request, 'invalid_request', 'code_challenge must be the 43-character base64url SHA-256 of the code verifier.');
      }
    }
    return { ...request, client, codeChallenge };
  }

  /** Authorization responses carry `iss` when an issuer is configured (RFC 9207), errors too. */
  function authorizationResponse(redirectUri: string, params: Record<string, string | undefined>): string {
    return withParams(redirectUri, { ...params, iss: config.issuer || undefined }, 'query');
  }

  function loginPage(request: LoginRequest, userId: string, error: string | undefined): string {
    const alert = error ? `<p role="alert" class="alert">${escapeHtml(error)}</p>` : '';
    return pages.page({
      title: `SkyVault wants to let ${request.client.name} access your account`,
      body: `<p>Sign in with your SkyVault user ID and password to allow <strong>${escapeHtml(request.client.name)}</strong> to use the SkyVault API on your behalf (<code>${SKYVAULT_SCOPE}</code>).</p>
  ${alert}
  <form method="post" action="/oauth/authorize">
      ${hiddenFields(request.fields)}
    <label for="username">User ID</label>
    <input type="text" id="username" name="username" autocomplete="username" required value="${escapeHtml(userId)}"${error ? '' : ' autofocus'}>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required${error ? ' autofocus' : ''}>
    <div class="actions">
      <button type="submit" class="primary" name="decision" value="allow">Sign in and allow</button>
      <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
    </div>
  </form>
  <p class="muted">Demo account: user ID <code>${SKYVAULT_USER_ID}</code>, password <code>${SKYVAULT_PASSWORD}</code>.</p>`,
    });
  }

  /** Allow pressed: a code when the user ID and password are right, else the login page again. */
  function signIn(res: ServerResponse, request: LoginRequest, params: URLSearchParams): void {
    const userId = params.get('username') ?? '';
    const password = params.get('password') ?? '';
    const userOk = safeEqual(userId, SKYVAULT_USER_ID);
    const passwordOk = safeEqual(password, SKYVAULT_PASSWORD);
    if (!userOk || !passwordOk) {
      sendHtml(res, 200, loginPage(request, userId, 'Wrong user ID or password.'), AUTH_PAGE_HEADERS);
      return;
    }
    const code = randomUUID();
    codes.set(code, {
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      scope: SKYVAULT_SCOPE,
      userId: SKYVAULT_USER_ID,
      codeChallenge: request.codeChallenge,
      expiresAt: Date.now() + config.codeLifetimeSeconds * 1000,
      used: config.redirectFault === 'usedCode',
      grantId: randomUUID(),
    });
    redirect(res, authorizationResponse(request.redirectUri, successParams(code, request.state)));
  }

  /** The parameters of a successful authorization response, spoiled as `redirectFault` says. */
  function successParams(code: string, state: string | undefined): Record<string, string | undefined> {
    switch (config.redirectFault) {
      case 'wrongState':
        return { code, state: randomUUID() };
      case 'noCode':
        return { state };
      case 'temporarilyUnavailable':
        return { error: 'temporarily_unavailable', error_description: 'SkyVault is busy. Try again in a minute.', state };
      case 'none':
      case 'usedCode':
        return { code, state };
    }
  }

  // ---- device authorization (RFC 8628) -------------------------------------------------------

  const device = deviceGrant({
    pages,
    origin: () => origin,
    // A device code lives as long as an authorization code.
    lifetimeSeconds: () => config.codeLifetimeSeconds,
    intervalSeconds: 5,
    fieldsHtml: `<label for="username">User ID</label>
    <input type="text" id="username" name="username" autocomplete="username">
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password">
    <p class="muted">Demo account: user ID <code>${SKYVAULT_USER_ID}</code>, password <code>${SKYVAULT_PASSWORD}</code>.</p>`,
    signIn: (form) =>
      safeEqual(form.get('username') ?? '', SKYVAULT_USER_ID) && safeEqual(form.get('password') ?? '', SKYVAULT_PASSWORD)
        ? SKYVAULT_USER_ID
        : undefined,
  });

  function handleDeviceAuthorization(req: DemoRequest, res: ServerResponse): void {
    const client = authenticateClient(req, res);
    if (!client) return;
    const scope = req.form.get('scope');
    if (scope !== null && scope !== SKYVAULT_SCOPE) {
      sendTokenError(res, 400, 'invalid_scope', `scope must be "${SKYVAULT_SCOPE}".`);
      return;
    }
    device.authorize(res, client.clientId);
  }

  // ---- token and revocation endpoints --------------------------------------------------------

  function issue(clientId: string, userId: string, scope: string, grantId: string, refreshToken?: string): SkyVaultTokenResponse {
    const now = Date.now();
    const accessToken = randomUUID();
    const expiresIn = config.accessTokenLifetimeSeconds;
    accessTokens.set(accessToken, { clientId, userId, scope, grantId, expiresAt: now + expiresIn * 1000 });
    let refresh = refreshToken;
    if (refresh === undefined) {
      refresh = randomUUID();
      refreshTokens.set(refresh, { clientId, userId, scope, grantId, expiresAt: now + config.refreshTokenLifetimeSeconds * 1000 });
    }
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, refresh_token: refresh, scope };
  }

  function revokeGrant(grantId: string): void {
    for (const [token, record] of accessTokens) if (record.grantId === grantId) accessTokens.delete(token);
    for (const [token, record] of refreshTokens) if (record.grantId === grantId) refreshTokens.delete(token);
  }

  /**
   * Common checks for the token and revocation endpoints: POST, form body, no repeated
   * parameters, the Origin policy and client authentication. Answers and returns undefined on
   * failure.
   */
  function authenticateClient(req: DemoRequest, res: ServerResponse): SkyVaultClient | undefined {
    if (req.method !== 'POST') {
      sendTokenError(res, 405, 'invalid_request', 'Use POST.', { Allow: 'POST, OPTIONS' });
      return undefined;
    }
    if (req.mediaType !== FORM_MEDIA_TYPE) {
      sendTokenError(res, 400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
      return undefined;
    }
    const repeated = repeatedParam(req.form, TOKEN_PARAMS);
    if (repeated) {
      sendTokenError(res, 400, 'invalid_request', `The ${repeated} parameter appears more than once.`);
      return undefined;
    }
    const basic = parseBasicAuth(req.headers);
    const invalidClient = (): undefined => {
      // RFC 6749 5.2: a client that tried the Authorization header gets a matching challenge.
      const headers: Record<string, string> = req.headers.authorization ? { 'WWW-Authenticate': 'Basic realm="SkyVault"' } : {};
      sendTokenError(res, 401, 'invalid_client', undefined, headers);
      return undefined;
    };
    if (basic === 'malformed' || (req.headers.authorization && basic === null)) return invalidClient();
    const bodyId = req.form.get('client_id');
    const bodySecret = req.form.get('client_secret');
    if (basic && bodySecret !== null) {
      sendTokenError(res, 400, 'invalid_request', 'Use one client authentication method: HTTP Basic or client_secret in the body, not both.');
      return undefined;
    }
    if (basic && bodyId !== null && bodyId !== basic.id) return invalidClient();
    const clientId = basic ? basic.id : bodyId;
    const secret = basic ? basic.secret : bodySecret;
    const client = clients.find((c) => c.clientId === clientId);
    if (!client) return invalidClient();
    if (config.rejectRequestsWithOrigin && req.headers.origin !== undefined) {
      sendTokenError(res, 400, 'invalid_request', ORIGIN_REJECTED_DESCRIPTION);
      return undefined;
    }
    if (secret === null || !safeEqual(secret, client.clientSecret)) return invalidClient();
    return client;
  }

  /** Sends a token response, broken as `tokenFault` says. */
  function sendTokens(res: ServerResponse, tokens: SkyVaultTokenResponse): void {
    issued.push(tokens);
    const headers = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
    switch (config.tokenFault) {
      case 'invalidJson':
        return send(res, 200, 'application/json', JSON.stringify(tokens).slice(0, -12), headers);
      case 'noAccessToken': {
        const { access_token: _, ...rest } = tokens;
        return sendJson(res, 200, rest, headers);
      }
      case 'tokenTypeMac':
        return sendJson(res, 200, { ...tokens, token_type: 'mac' }, headers);
      case 'expiresInNegative':
        return sendJson(res, 200, { ...tokens, expires_in: -tokens.expires_in }, headers);
      case 'expiresInString':
        return sendJson(res, 200, { ...tokens, expires_in: String(tokens.expires_in) }, headers);
      default:
        return sendJson(res, 200, tokens, headers);
    }
  }

  /** The token endpoint faults that answer before the request is looked at; true when one did. */
  function answeredByFault(res: ServerResponse): boolean {
    switch (config.tokenFault) {
      case 'http500':
        sendText(res, 500, 'Internal Server Error');
        return true;
      case 'html':
        sendHtml(res, 200, pages.page({ title: 'SkyVault is down for maintenance', body: '<p>Please come back later.</p>' }));
        return true;
      case 'dropConnection':
        res.destroy();
        return true;
      default:
        return false;
    }
  }

  function handleToken(req: DemoRequest, res: ServerResponse): void {
    if (req.method === 'OPTIONS') {
      sendEmpty(res, 204, { Allow: 'POST, OPTIONS' });
      return;
    }
    if (answeredByFault(res)) return;
    const client = authenticateClient(req, res);
    if (!client) return;
    const form = req.form;
    const grantType = form.get('grant_type');
    if (!grantType) {
      sendTokenError(res, 400, 'invalid_request', 'The grant_type parameter is missing.');
      return;
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) {
        sendTokenError(res, 400, 'invalid_request', 'The code parameter is missing.');
        return;
      }
      const record = codes.get(code);
      if (!record || record.clientId !== client.clientId) {
        sendTokenError(res, 400, 'invalid_grant', 'The authorization code is invalid.');
        return;
      }
      if (record.used) {
        // RFC 6749 4.1.2: a reused code revokes what it already gave.
        revokeGrant(record.grantId);
        sendTokenError(res, 400, 'invalid_grant', 'The authorization code has already been used.');
        return;
      }
      record.used = true; // one attempt per code, successful or not
      if (Date.now() >= record.expiresAt) {
        sendTokenError(res, 400, 'invalid_grant', 'The authorization code expired.');
        return;
      }
      if (form.get('redirect_uri') !== record.redirectUri) {
        sendTokenError(res, 400, 'invalid_grant', 'redirect_uri does not match the one used in the authorization request.');
        return;
      }
      const verifier = form.get('code_verifier');
      if (record.codeChallenge !== undefined) {
        if (verifier === null || !isValidCodeVerifier(verifier) || !safeEqual(sha256Base64Url(verifier), record.codeChallenge)) {
          sendTokenError(res, 400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
          return;
        }
      } else if (verifier !== null) {
        sendTokenError(res, 400, 'invalid_grant', 'A code_verifier was sent but the authorization request had no code_challenge.');
        return;
      }
      sendTokens(res, issue(client.clientId, record.userId, record.scope, record.grantId));
      return;
    }
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token');
      if (!refreshToken) {
        sendTokenError(res, 400, 'invalid_request', 'The refresh_token parameter is missing.');
        return;
      }
      const record = refreshTokens.get(refreshToken);
      if (!record || record.clientId !== client.clientId) {
        sendTokenError(res, 400, 'invalid_grant', 'The refresh token is invalid or was revoked.');
        return;
      }
      if (Date.now() >= record.expiresAt) {
        refreshTokens.delete(refreshToken);
        sendTokenError(res, 400, 'invalid_grant', 'The refresh token expired.');
        return;
      }
      const scope = form.get('scope');
      if (scope !== null && scope.split(' ').some((s) => s !== '' && s !== record.scope)) {
        sendTokenError(res, 400, 'invalid_scope', `The only scope is "${SKYVAULT_SCOPE}".`);
        return;
      }
      if (config.rotateRefreshTokens) {
        refreshTokens.delete(refreshToken);
        sendTokens(res, issue(client.clientId, record.userId, record.scope, record.grantId));
      } else {
        sendTokens(res, issue(client.clientId, record.userId, record.scope, record.grantId, refreshToken));
      }
      return;
    }
    if (grantType === DEVICE_CODE_GRANT) {
      const approved = device.poll(res, client.clientId, form.get('device_code'));
      if (approved) sendTokens(res, issue(client.clientId, approved.userId, SKYVAULT_SCOPE, randomUUID()));
      return;
    }
    sendTokenError(res, 400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported.`);
  }

  function handleRevoke(req: DemoRequest, res: ServerResponse): void {
    if (req.method === 'OPTIONS') {
      sendEmpty(res, 204, { Allow: 'POST, OPTIONS' });
      return;
    }
    const client = authenticateClient(req, res);
    if (!client) return;
    const token = req.form.get('token');
    if (!token) {
      sendTokenError(res, 400, 'invalid_request', 'The token parameter is missing.');
      return;
    }
    // RFC 7009 2.1: the hint only speeds up the lookup, so both kinds are always searched.
    const refresh = refreshTokens.get(token);
    if (refresh && refresh.clientId === client.clientId) {
      revokeGrant(refresh.grantId);
    } else {
      const access = accessTokens.get(token);
      if (access && access.clientId === client.clientId) accessTokens.delete(token);
    }
    sendEmpty(res, 200, { 'Cache-Control': 'no-store', 'Content-Length': 0 });
  }

  function handleMetadata(res: ServerResponse): void {
    sendJson(
      res,
      200,
      {
        issuer: config.issuer || origin,
        authorization_endpoint: `${origin}/oauth/authorize`,
        token_endpoint: `${origin}/oauth/token`,
        revocation_endpoint: `${origin}/oauth/revoke`,
        device_authorization_endpoint: `${origin}/oauth/device`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
        scopes_supported: [SKYVAULT_SCOPE],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        revocation_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        authorization_response_iss_parameter_supported: Boolean(config.issuer),
      },
      { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' },
    );
  }

  // ---- API ------------------------------------------------------------------------------------

  /** A non-negative integer query parameter, the default when absent, or undefined when invalid. */
  function intParam(params: URLSearchParams, name: string, fallback: number, min: number): number | undefined {
    const values = params.getAll(name);
    if (values.length === 0) return fallback;
    const value = values[0];
    if (values.length > 1 || value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
    const n = Number(value);
    return n >= min ? n : undefined;
  }

  function handleApi(req: DemoRequest, res: ServerResponse): void {
    if (!admitApiRequest(req, res, API_ROUTES)) return;
    if (!authenticateBearer(req, res, REALM, accessTokens, 'The access token is invalid or was revoked')) return;
    if (req.url.pathname === '/api/people/-me-') {
      sendApiJson(res, 200, { entry: PERSON });
      return;
    }
    const skipCount = intParam(req.url.searchParams, 'skipCount', 0, 0);
    const maxItems = intParam(req.url.searchParams, 'maxItems', 100, 1);
    if (skipCount === undefined || maxItems === undefined) {
      sendApiJson(res, 400, { error: 'invalid_request', error_description: 'skipCount must be an integer ≥ 0 and maxItems an integer ≥ 1' });
      return;
    }
    const slice = SITES.slice(skipCount, skipCount + maxItems);
    sendApiJson(res, 200, {
      list: {
        pagination: { count: slice.length, hasMoreItems: skipCount + slice.length < SITES.length, skipCount, maxItems },
        entries: slice.map(({ site, role }) => ({ entry: { site: { ...site }, id: site.id, role } })),
      },
    });
  }

  // ---- server ---------------------------------------------------------------------------------

  const site = await startProviderSite({
    host: options.host,
    port: options.port,
    pages,
    home: {
      title: 'SkyVault demo provider',
      body: `<p>Authorization code grant at <code>/oauth/authorize</code> and <code>/oauth/token</code>; device authorization at <code>/oauth/device</code> with its page at <code>${VERIFICATION_PATH}</code>; revocation at <code>/oauth/revoke</code>; API at <code>/api/sites</code> and <code>/api/people/-me-</code>.</p>`,
    },
    routes: {
      '/oauth/authorize': authorizeHandler({
        pages,
        check: checkAuthorize,
        responseUrl: authorizationResponse,
        ask: (_req, res, request) => sendHtml(res, 200, loginPage(request, '', undefined), AUTH_PAGE_HEADERS),
        allow: (_req, res, request, params) => signIn(res, request, params),
        chooseMessage: 'Choose “Sign in and allow” or “Deny”.',
      }),
      '/oauth/token': handleToken,
      '/oauth/revoke': handleRevoke,
      '/oauth/device': handleDeviceAuthorization,
      [VERIFICATION_PATH]: (req, res) => device.verificationPage(req, res),
      '/.well-known/oauth-authorization-server': (req, res) =>
        req.method === 'GET' ? handleMetadata(res) : pages.sendNotFound(res, req.url.pathname),
    },
    api: handleApi,
  });
  origin = site.origin;

  return {
    origin,
    config,
    clients,
    requests: site.requests,
    issued,
    issueTokens: () => issue(SKYVAULT_CLIENT_ID, SKYVAULT_USER_ID, SKYVAULT_SCOPE, randomUUID()),
    close: () => site.close(),
  };
}
