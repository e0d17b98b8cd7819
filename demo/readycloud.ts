// A ReadyCloud-like provider (API v1): implicit grant with a consent page, the token in the
// redirect URI's fragment (or on the default token page), and a small orders API.
import type { ServerResponse } from 'node:http';
import { admitApiRequest, authenticateBearer, sendApiJson, sendBearerError } from './api';
import { authorizeHandler, checkAuthorizeRequest, redirectError, type AuthorizeCheck, type AuthorizeRequest } from './authorize-endpoint';
import { AUTH_PAGE_HEADERS, codeList, escapeHtml, hiddenFields } from './html';
import { redirect, sendHtml, type DemoRequest, type RecordedRequest } from './http';
import { param, randomToken, withParams } from './oauth';
import { providerPages, startProviderSite } from './provider-site';

export const READYCLOUD_CLIENT_ID = 'readycloud-demo-app';
export const READYCLOUD_NO_REDIRECT_CLIENT_ID = 'readycloud-no-redirect';
export const READYCLOUD_APP_NAME = 'TokenTap Demo';
export const READYCLOUD_USER = 'demo@readycloud.test';
/** The scopes and how the consent page words them. */
export const READYCLOUD_SCOPES = {
  'orders:read': 'See your orders (read-only access)',
  'orders:full': 'See, create and change your orders (full access)',
} as const;
export type ReadyCloudScope = keyof typeof READYCLOUD_SCOPES;
/** "You can ask for full or read only access": the choice as the demo's Provider JSON offers it (scopeOptions), full first. */
export const READYCLOUD_ACCESS = [
  { label: 'Full access', scopes: ['orders:full'] },
  { label: 'Read only', scopes: ['orders:read'] },
] as const satisfies readonly { label: string; scopes: readonly ReadyCloudScope[] }[];

const ALL_SCOPES = Object.keys(READYCLOUD_SCOPES) as ReadyCloudScope[];
const REALM = 'ReadyCloud API';
const pages = providerPages({ brand: 'ReadyCloud', accent: '#0f766e', client: 'app' });
const TOKEN_PAGE_PATH = '/oauth/token-page';
const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state'] as const;
const MAX_ORDERS = 200;
const API_ROUTES = { '/api/v1/orders': ['GET', 'POST'], '/api/v1/whoami': ['GET'] } as const;
/** Methods that change orders: a read-only token may not use them. */
const WRITE_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const SESSION_COOKIE = 'rc_session';

export interface ReadyCloudConfig {
  /** Lifetime of new access tokens (`expires_in`), read at each authorization. Default 30 days. */
  tokenLifetimeSeconds: number;
  /** Spoils the redirect after Allow, for tests of a client's error handling. Default 'none'. */
  redirectFault: ReadyCloudRedirectFault;
  /**
   * Remember Allow in the browser (a session cookie): a later authorization for the same app and
   * no more scopes redirects with a new token at once, without the consent page, as providers
   * that keep consents do. This is what lets a client renew an implicit token silently. Default off.
   */
  rememberConsent: boolean;
}

/** Ways the token redirect can go wrong after the user pressed Allow (the token is issued all the same). */
export type ReadyCloudRedirectFault =
  | 'none'
  /** Another `state` than the one the client sent. */
  | 'wrongState'
  /** No `access_token` in the fragment. */
  | 'noAccessToken'
  /** `token_type=mac`. */
  | 'tokenTypeMac';

export const DEFAULT_READYCLOUD_CONFIG: Readonly<ReadyCloudConfig> = {
  tokenLifetimeSeconds: 2_592_000,
  redirectFault: 'none',
  rememberConsent: false,
};

export interface ReadyCloudApp {
  clientId: string;
  name: string;
  /** Registered redirect URIs; empty = the default token page. */
  redirectUris: string[];
}

export interface ReadyCloudOptions {
  host?: string;
  port?: number;
  /** Redirect URIs registered for `readycloud-demo-app`. */
  redirectUris: string[];
  config?: Partial<ReadyCloudConfig>;
}

export interface IssuedImplicitToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

export interface ReadyCloudServer {
  /** e.g. `http://127.0.0.1:8710` */
  readonly origin: string;
  /** Mutable: changes apply to the next request. */
  readonly config: ReadyCloudConfig;
  readonly apps: readonly ReadyCloudApp[];
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Every token issued on Allow, oldest first, faults or not (to check tokens never leak). */
  readonly issued: IssuedImplicitToken[];
  /** Issues a token directly, as if the user had clicked Allow (for tests). */
  issueToken(scopes?: readonly ReadyCloudScope[]): IssuedImplicitToken;
  /** Invalidates a token at the provider (for tests); true if it existed. */
  revokeToken(accessToken: string): boolean;
  close(): Promise<void>;
}

interface TokenRecord {
  clientId: string;
  scopes: ReadyCloudScope[];
  expiresAt: number;
}

interface Order {
  id: number;
  number: string;
  status: string;
  customer: string;
  total: string;
  currency: string;
  created_at: string;
}

function demoOrders(): Order[] {
  return [
    {
      id: 1003,
      number: 'RC-1003',
      status: 'open',
      customer: 'Grace Hopper',
      total: '12.00',
      currency: 'USD',
      created_at: '2024-05-03T09:12:00Z',
    },
    {
      id: 1002,
      number: 'RC-1002',
      status: 'shipped',
      customer: 'Alan Turing',
      total: '89.90',
      currency: 'USD',
      created_at: '2024-05-02T15:40:00Z',
    },
    {
      id: 1001,
      number: 'RC-1001',
      status: 'delivered',
      customer: 'Ada Lovelace',
      total: '42.50',
      currency: 'USD',
      created_at: '2024-05-01T11:05:00Z',
    },
  ];
}

/** What ReadyCloud adds to an authorization request it will put to the user. */
type ConsentExtra = { app: ReadyCloudApp; scopes: ReadyCloudScope[] };
type ConsentRequest = AuthorizeRequest & ConsentExtra;

export async function startReadyCloud(options: ReadyCloudOptions): Promise<ReadyCloudServer> {
  const config: ReadyCloudConfig = { ...DEFAULT_READYCLOUD_CONFIG, ...options.config };
  const apps: ReadyCloudApp[] = [
    { clientId: READYCLOUD_CLIENT_ID, name: READYCLOUD_APP_NAME, redirectUris: [...options.redirectUris] },
    { clientId: READYCLOUD_NO_REDIRECT_CLIENT_ID, name: `${READYCLOUD_APP_NAME} (no redirect URI)`, redirectUris: [] },
  ];
  const issued: IssuedImplicitToken[] = [];
  const tokens = new Map<string, TokenRecord>();
  /** Consents given with Allow, per browser session cookie: client id → scopes allowed. */
  const consents = new Map<string, Map<string, Set<ReadyCloudScope>>>();
  const orders = demoOrders();
  let origin = '';

  const defaultPage = (): string => `${origin}${TOKEN_PAGE_PATH}`;

  function issue(clientId: string, scopes: readonly ReadyCloudScope[]): IssuedImplicitToken {
    const expiresIn = config.tokenLifetimeSeconds;
    const accessToken = randomToken();
    tokens.set(accessToken, { clientId, scopes: [...scopes], expiresAt: Date.now() + expiresIn * 1000 });
    return { accessToken, expiresIn, scope: scopes.join(' ') };
  }

  function checkAuthorize(params: URLSearchParams): AuthorizeCheck<ConsentExtra> {
    const clientId = params.get('client_id');
    if (params.getAll('client_id').length > 1) {
      return { kind: 'page', title: 'Invalid request', message: 'The client_id parameter appears more than once.' };
    }
    if (!clientId) {
      return { kind: 'page', title: 'Invalid request', message: 'The client_id parameter (your App Id) is missing.' };
    }
    const app = apps.find((a) => a.clientId === clientId);
    if (!app) {
      return { kind: 'page', title: 'Unknown app', message: `No app with the App Id <code>${escapeHtml(clientId)}</code> exists.` };
    }
    if (params.getAll('redirect_uri').length > 1) {
      return { kind: 'page', title: 'Invalid request', message: 'The redirect_uri parameter appears more than once.' };
    }
    // An app without a registered redirect URI sends the token to the default page, to copy by hand.
    const allowed = app.redirectUris.length > 0 ? app.redirectUris : [defaultPage()];
    const given = params.get('redirect_uri');
    let redirectUri: string;
    if (given !== null) {
      if (!allowed.includes(given)) {
        return {
          kind: 'page',
          title: 'Redirect URI not registered',
          message:
            `The redirect URI <code>${escapeHtml(given)}</code> is not registered for the app ` +
            `“${escapeHtml(app.name)}”. Registered: ${codeList(allowed)}. ` +
            'Add it to the app, then try again.',
        };
      }
      redirectUri = given;
    } else if (allowed.length === 1 && allowed[0] !== undefined) {
      redirectUri = allowed[0];
    } else {
      return {
        kind: 'page',
        title: 'Invalid request',
        message: `The app “${escapeHtml(app.name)}” has several redirect URIs registered, so the request must name one in redirect_uri.`,
      };
    }

    const request = checkAuthorizeRequest(params, redirectUri, 'token', AUTHORIZE_PARAMS);
    if (request.kind === 'redirect-error') return request;
    const scopeParam = param(params, 'scope');
    let scopes: ReadyCloudScope[];
    if (scopeParam === undefined) {
      scopes = [...ALL_SCOPES];
    } else {
      const words = scopeParam.split(' ').filter((w) => w !== '');
      const unknown = words.find((w) => !(ALL_SCOPES as string[]).includes(w));
      if (unknown !== undefined) return redirectError(request, 'invalid_scope', `Unknown scope: ${unknown}`);
      if (words.length === 0) scopes = [...ALL_SCOPES];
      else scopes = [...new Set(words as ReadyCloudScope[])];
    }
    return { ...request, app, scopes };
  }

  function consentPage(request: ConsentRequest): string {
    const scopeItems = request.scopes
      .map((s) => `<li>${escapeHtml(READYCLOUD_SCOPES[s])} <span class="muted">(<code>${escapeHtml(s)}</code>)</span></li>`)
      .join('\n      ');
    return pages.page({
      title: `Allow ${request.app.name} to access your ReadyCloud account?`,
      body: `<p>Signed in as <strong>${escapeHtml(READYCLOUD_USER)}</strong></p>
  <p><strong>${escapeHtml(request.app.name)}</strong> wants to:</p>
  <ul aria-label="Requested permissions">
      ${scopeItems}
  </ul>
  <form method="post" action="/oauth/authorize">
      ${hiddenFields(request.fields)}
    <div class="actions">
      <button type="submit" class="primary" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
  <p class="muted">After you choose you will be sent back to the app.</p>`,
    });
  }

  const tokenResponseUrl = (redirectUri: string, params: Record<string, string | undefined>): string =>
    withParams(redirectUri, params, 'fragment');

  function issueAndRedirect(res: ServerResponse, request: ConsentRequest, headers: Record<string, string> = {}): void {
    const token = issue(request.app.clientId, request.scopes);
    issued.push(token);
    redirect(res, tokenResponseUrl(request.redirectUri, tokenParams(token, request.state)), headers);
  }

  function sessionOf(req: DemoRequest): string | undefined {
    const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('='));
    return cookies.find(([name]) => name === SESSION_COOKIE)?.[1];
  }

  function hasConsent(req: DemoRequest, request: ConsentRequest): boolean {
    const session = sessionOf(req);
    const allowed = session === undefined ? undefined : consents.get(session)?.get(request.app.clientId);
    return allowed !== undefined && request.scopes.every((scope) => allowed.has(scope));
  }

  /** Records the Allow for this browser; returns the Set-Cookie header of a new session, if one was needed. */
  function rememberConsentOf(req: DemoRequest, request: ConsentRequest): Record<string, string> {
    const known = sessionOf(req);
    const session = known !== undefined && consents.has(known) ? known : randomToken();
    const apps = consents.get(session) ?? new Map<string, Set<ReadyCloudScope>>();
    apps.set(request.app.clientId, new Set([...(apps.get(request.app.clientId) ?? []), ...request.scopes]));
    consents.set(session, apps);
    return session === known ? {} : { 'Set-Cookie': `${SESSION_COOKIE}=${session}; Path=/oauth; HttpOnly; SameSite=Lax` };
  }

  /** The fragment of the token redirect, spoiled as `redirectFault` says. */
  function tokenParams(token: IssuedImplicitToken, state: string | undefined): Record<string, string | undefined> {
    const params = { access_token: token.accessToken, token_type: 'Bearer', expires_in: String(token.expiresIn), scope: token.scope, state };
    switch (config.redirectFault) {
      case 'wrongState':
        return { ...params, state: randomToken() };
      case 'noAccessToken':
        return { ...params, access_token: undefined };
      case 'tokenTypeMac':
        return { ...params, token_type: 'mac' };
      case 'none':
        return params;
    }
  }

  function tokenPage(res: ServerResponse): void {
    const script = `
(function () {
  var p = new URLSearchParams(location.hash.slice(1));
  var out = document.getElementById('result');
  var error = p.get('error');
  var token = p.get('access_token');
  if (error) {
    var a = document.createElement('p');
    a.className = 'alert';
    a.setAttribute('role', 'alert');
    a.textContent = 'Not authorized: ' + (p.get('error_description') || error);
    out.replaceChildren(a);
    return;
  }
  if (!token) return;
  document.getElementById('token').value = token;
  var secs = Number(p.get('expires_in'));
  var details = [];
  if (p.get('scope')) details.push('Scopes: ' + p.get('scope'));
  if (secs > 0) details.push('Expires: ' + new Date(Date.now() + secs * 1000).toLocaleString());
  document.getElementById('details').textContent = details.join(' · ');
  document.getElementById('token-box').hidden = false;
  document.getElementById('empty').hidden = true;
  document.getElementById('copy').addEventListener('click', function () {
    var status = document.getElementById('copy-status');
    navigator.clipboard.writeText(token).then(function () { status.textContent = 'Copied.'; },
      function () { document.getElementById('token').select(); status.textContent = 'Press Ctrl+C to copy.'; });
  });
})();`;
    sendHtml(
      res,
      200,
      pages.page({
        title: 'Your ReadyCloud access token',
        body: `<div id="result">
    <p id="empty">No access token in this page's address.</p>
    <div id="token-box" hidden>
      <p>Copy this token into your application. Keep it secret: it gives access to your account.</p>
      <label for="token">Access token</label>
      <textarea id="token" rows="3" readonly></textarea>
      <p id="details" class="muted"></p>
      <div class="actions"><button type="button" id="copy" class="primary">Copy token</button></div>
      <p id="copy-status" role="status" class="muted"></p>
    </div>
  </div>`,
        script,
      }),
      AUTH_PAGE_HEADERS,
    );
  }

  function handleApi(req: DemoRequest, res: ServerResponse): void {
    if (!admitApiRequest(req, res, API_ROUTES)) return;
    const record = authenticateBearer(req, res, REALM, tokens, 'The access token is invalid');
    if (!record) return;
    if (WRITE_METHODS.includes(req.method) && !record.scopes.includes('orders:full')) {
      const description = 'This token is read-only (orders:read): changing orders needs full access (orders:full)';
      sendBearerError(res, 403, REALM, 'insufficient_scope', description, { scope: 'orders:full' });
      return;
    }
    if (req.url.pathname === '/api/v1/whoami') {
      sendApiJson(res, 200, {
        user: READYCLOUD_USER,
        scopes: record.scopes,
        expiresIn: Math.max(0, Math.ceil((record.expiresAt - Date.now()) / 1000)),
      });
      return;
    }
    if (req.method === 'GET') {
      sendApiJson(res, 200, { count: orders.length, next: null, previous: null, results: orders });
      return;
    }
    if (req.mediaType !== 'application/json') {
      sendApiJson(res, 415, { error: 'unsupported_media_type', error_description: 'Send the order as application/json' });
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(req.body);
    } catch {
      input = undefined;
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      sendApiJson(res, 400, { error: 'invalid_request', error_description: 'The body must be a JSON object' });
      return;
    }
    const fields = input as Record<string, unknown>;
    const customer =
      typeof fields.customer === 'string' && fields.customer.trim() !== '' ? fields.customer.trim().slice(0, 100) : 'Demo customer';
    const totalNumber = typeof fields.total === 'number' ? fields.total : typeof fields.total === 'string' ? Number(fields.total) : 0;
    if (!Number.isFinite(totalNumber) || totalNumber < 0) {
      sendApiJson(res, 400, { error: 'invalid_request', error_description: 'total must be a non-negative number' });
      return;
    }
    const id = Math.max(1000, ...orders.map((o) => o.id)) + 1;
    const order: Order = {
      id,
      number: `RC-${id}`,
      status: 'open',
      customer,
      total: totalNumber.toFixed(2),
      currency: 'USD',
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    orders.unshift(order);
    if (orders.length > MAX_ORDERS) orders.length = MAX_ORDERS;
    sendApiJson(res, 201, order);
  }

  const site = await startProviderSite({
    host: options.host,
    port: options.port,
    pages,
    home: {
      title: 'ReadyCloud demo provider',
      body: `<p>Implicit grant at <code>/oauth/authorize</code>; API at <code>/api/v1/orders</code> and <code>/api/v1/whoami</code>.</p>`,
    },
    routes: {
      '/oauth/authorize': authorizeHandler({
        pages,
        check: checkAuthorize,
        responseUrl: tokenResponseUrl,
        ask: (req, res, request) => {
          if (config.rememberConsent && hasConsent(req, request)) issueAndRedirect(res, request);
          else sendHtml(res, 200, consentPage(request), AUTH_PAGE_HEADERS);
        },
        allow: (req, res, request) => issueAndRedirect(res, request, rememberConsentOf(req, request)),
        chooseMessage: 'Choose Allow or Deny.',
      }),
      [TOKEN_PAGE_PATH]: (req, res) => (req.method === 'GET' ? tokenPage(res) : pages.sendError(res, 405, 'Method not allowed', 'Use GET.')),
    },
    api: handleApi,
  });
  origin = site.origin;

  return {
    origin,
    config,
    apps,
    requests: site.requests,
    issued,
    issueToken: (scopes = ALL_SCOPES) => issue(READYCLOUD_CLIENT_ID, scopes),
    revokeToken: (accessToken) => tokens.delete(accessToken),
    close: () => site.close(),
  };
}
