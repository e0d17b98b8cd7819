// A real OpenID provider for the end-to-end tests: the npm package `oidc-provider` with its default
// CORS policy (a confidential client's token request carrying an `Origin` is refused), on loopback.
// Its own sign-in page stands in for the package's development pages, whose fields have no labels
// a person (or the driver) can find them by.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type StoredToken } from 'oidc-provider';

/** The user who signs in at the provider, and the scope its clients ask for. */
export const OIDC_USER = 'ada';
export const OIDC_SCOPE = 'api';
/** The scopes that make the provider name who signed in in its id_token: the `email` claim, `oidcEmail(user)`. */
export const OIDC_IDENTITY_SCOPES = ['openid', 'email'] as const;
export const oidcEmail = (user: string): string => `${user}@example.com`;

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  /** RFC 7591 `token_endpoint_auth_method`. */
  authMethod: 'client_secret_post' | 'client_secret_basic';
  redirectUri: string;
  /** The scopes the client may ask for (space separated); default OIDC_SCOPE. */
  scope?: string;
}

/** Where the provider answers, relative to its issuer (oidc-provider's `routes`). */
export interface OidcRoutes {
  authorization: string;
  token: string;
  revocation: string;
  userinfo: string;
}

export interface OidcServerOptions {
  /**
   * The path the provider is mounted on, so its issuer is http://localhost:<port><mountPath>
   * (Keycloak's `/realms/<realm>`); default none.
   */
  mountPath?: string;
  /** Route names in place of oidc-provider's own (Keycloak's `/protocol/openid-connect/…`). */
  routes?: Partial<OidcRoutes>;
  /** oidc-provider `features` set over the defaults here. */
  features?: Record<string, unknown>;
  /** Registered with `grant_types: ['client_credentials']`; oidc-provider's `clientCredentials` feature is on when given. */
  machineClients?: readonly OidcMachineClient[];
  /** Turns on the device authorization grant (RFC 8628) for every client, with pages of its own (labelled controls). */
  deviceFlow?: OidcDeviceFlow;
  /** The `email` claim only at the userinfo endpoint, never in the id_token, as OpenID Connect Core 5.4 has it (Okta and others). */
  emailAtUserinfoOnly?: boolean;
}

export interface OidcDeviceFlow {
  /** Seconds a device code and its user code live; default 600. */
  codeTtl?: number;
  /** Leave `verification_uri_complete` out of the answer, so the user types the code on the page. */
  withoutCompleteUri?: boolean;
}

/** A client of the client-credentials grant (RFC 6749 4.4): no user, no redirect URI. */
export interface OidcMachineClient extends Omit<OidcClient, 'redirectUri'> {
  /** Seconds its access tokens live; 600 when absent. */
  tokenSeconds?: number;
}

export interface OidcServer {
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  revocationUrl: string;
  userinfoUrl: string;
  /** The device authorization endpoint (RFC 8628 3.1); answers only with the `deviceFlow` option. */
  deviceAuthorizationUrl: string;
  /** The `Origin` header of every POST the provider received, in order ('' for none), with its path. */
  posts: { path: string; origin: string }[];
  /** Every call to the userinfo endpoint, in order: its Authorization header ('' for none) and the status answered. */
  userinfoCalls: { authorization: string; status: number }[];
  /** The errors the provider answered token and revocation requests with ("invalid_request: …"). */
  errors: string[];
  /** Whether the provider still holds `token` as a live access token (of either grant) or refresh token. */
  holds(token: string): Promise<boolean>;
  close(): Promise<void>;
}

const ROUTES: OidcRoutes = { authorization: '/auth', token: '/token', revocation: '/token/revocation', userinfo: '/me' };
/** oidc-provider's own routes of the device flow: its authorization endpoint and the verification page. */
const DEVICE_ROUTES = { device_authorization: '/device/auth', code_verification: '/device' };
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Starts the provider on http://localhost:<free port>, with `clients` (and `options.machineClients`) registered. */
export async function startOidcServer(clients: readonly OidcClient[], options: OidcServerOptions = {}): Promise<OidcServer> {
  const { mountPath = '' } = options;
  const routes = { ...ROUTES, ...options.routes };
  const machineClients = options.machineClients ?? [];
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, 'localhost', ready));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}${mountPath}`;
  const provider = new Provider(issuer, {
    clients: [
      ...clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: client.authMethod,
        redirect_uris: [client.redirectUri],
        grant_types: ['authorization_code', 'refresh_token', ...(options.deviceFlow ? [DEVICE_CODE_GRANT] : [])],
        response_types: ['code'],
        scope: client.scope ?? OIDC_SCOPE,
      })),
      ...machineClients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: client.authMethod,
        redirect_uris: [],
        grant_types: ['client_credentials'],
        response_types: [],
        scope: client.scope ?? OIDC_SCOPE,
      })),
    ],
    scopes: [OIDC_SCOPE],
    routes: { ...routes, ...(options.deviceFlow && DEVICE_ROUTES) },
    // Every user has an email address, given with the `email` scope, in the id_token too unless emailAtUserinfoOnly.
    claims: { email: ['email'] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub, email: oidcEmail(sub) }) }),
    conformIdTokenClaims: options.emailAtUserinfoOnly === true,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      clientCredentials: { enabled: machineClients.length > 0 },
      ...(options.deviceFlow && { deviceFlow: { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource } }),
      ...options.features,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Refresh tokens for these clients without the OpenID `offline_access` scope, rotated at each use.
    issueRefreshToken: () => true,
    rotateRefreshToken: () => true,
    // Lifetimes set, so the provider does not warn about its defaults.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      // Per machine client, so one test can watch short tokens renew while the others keep theirs.
      ClientCredentials: (_ctx: unknown, _token: unknown, client: { clientId: string }) =>
        machineClients.find((machine) => machine.clientId === client.clientId)?.tokenSeconds ?? 600,
      DeviceCode: options.deviceFlow?.codeTtl ?? 600,
      Grant: 86_400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 86_400,
    },
  });
  const posts: OidcServer['posts'] = [];
  const userinfoCalls: OidcServer['userinfoCalls'] = [];
  const errors: string[] = [];
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST') posts.push({ path: mountPath + ctx.path, origin: ctx.get('origin') });
    await next();
    if (ctx.path === DEVICE_ROUTES.device_authorization && options.deviceFlow?.withoutCompleteUri) {
      delete (ctx.body as Record<string, unknown>)['verification_uri_complete'];
    }
    if (ctx.path === routes.userinfo) userinfoCalls.push({ authorization: ctx.get('authorization'), status: ctx.status });
  });
  for (const event of ['grant.error', 'revocation.error', 'authorization.error', 'device_authorization.error']) {
    provider.on(event, (_ctx, error) => {
      const { error: code, error_description: description } = error as { error: string; error_description?: string };
      errors.push(`${code}: ${description ?? ''}`);
    });
  }
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url.startsWith('/interaction/')) void signIn(provider, req, res).catch(() => res.writeHead(500).end());
    else if (mountPath === '') callback(req, res);
    else if (url.startsWith(`${mountPath}/`)) {
      // Mounted as Express's app.use(mountPath, …) does: oidc-provider reads its mount path from originalUrl.
      req.originalUrl = url;
      req.url = url.slice(mountPath.length);
      callback(req, res);
    } else res.writeHead(404).end();
  });
  return {
    issuer,
    authorizationUrl: issuer + routes.authorization,
    tokenUrl: issuer + routes.token,
    revocationUrl: issuer + routes.revocation,
    userinfoUrl: issuer + routes.userinfo,
    deviceAuthorizationUrl: issuer + DEVICE_ROUTES.device_authorization,
    posts,
    userinfoCalls,
    errors,
    holds: async (token) =>
      live(await provider.AccessToken.find(token)) ||
      live(await provider.RefreshToken.find(token)) ||
      live(await provider.ClientCredentials.find(token)),
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}

/**
 * The provider's sign-in page: user name and password (any password), then **Sign in and allow**
 * grants the client the scopes it asked for, login and consent in one step.
 */
async function signIn(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const interaction = await provider.interactionDetails(req, res);
  if (req.method !== 'POST') {
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html lang="en"><title>Sign in</title><form method="post">` +
          `<label>User name <input name="login" required></label>` +
          `<label>Password <input name="password" type="password" required></label>` +
          `<button type="submit">Sign in and allow</button></form></html>`,
      );
    return;
  }
  const form = new URLSearchParams(await body(req));
  const accountId = form.get('login') ?? '';
  const grant = new provider.Grant({ accountId, clientId: interaction.params.client_id ?? '' });
  grant.addOIDCScope(interaction.params.scope ?? '');
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

/** The verification page: **User code** and **Continue** (an unknown, expired or used code says so). */
function userCodeInputSource(ctx: DevicePageContext, _form: string, _out: unknown, error?: { userCode?: string }): void {
  const problem = error === undefined ? '' : `<p role="alert">That code is not one waiting for approval. Check it and try again.</p>`;
  ctx.body = devicePage(
    'Connect a device',
    `${problem}<form method="post" action="${ctx.oidc.urlFor('code_verification')}">${xsrfField(ctx)}` +
      `<label>User code <input name="user_code" autocomplete="off" required></label>` +
      `<button type="submit">Continue</button></form>`,
  );
}

/** The confirmation: the code again, **Allow** (on to sign in) or **Deny** (the device gets access_denied). */
function userCodeConfirmSource(ctx: DevicePageContext, _form: string, _client: unknown, _info: unknown, userCode: string): void {
  const form = (button: string, field: string) =>
    `<form method="post" action="${ctx.oidc.urlFor('code_verification')}">${xsrfField(ctx)}` +
    `<input type="hidden" name="user_code" value="${escapeHtml(userCode)}"><input type="hidden" name="${field}" value="yes">` +
    `<button type="submit">${button}</button></form>`;
  ctx.body = devicePage(
    'Confirm the device',
    `<p>Is this the code your device shows? <code>${escapeHtml(userCode)}</code></p>${form('Allow', 'confirm')}${form('Deny', 'abort')}`,
  );
}

function successSource(ctx: DevicePageContext): void {
  ctx.body = devicePage('Device connected', '<p role="status">The device is connected. You can close this page.</p>');
}

/** What the device pages read of oidc-provider's context. */
interface DevicePageContext {
  body: unknown;
  oidc: { urlFor(route: string): string; session: { state: { secret: string } } };
}

function xsrfField(ctx: DevicePageContext): string {
  return `<input type="hidden" name="xsrf" value="${escapeHtml(ctx.oidc.session.state.secret)}">`;
}

function devicePage(title: string, content: string): string {
  return `<!doctype html><html lang="en"><title>${title}</title><h1>${title}</h1>${content}</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A token the provider still accepts: known, not spent by a rotation, not expired. */
function live(token: StoredToken | undefined): boolean {
  return token !== undefined && !token.consumed && !token.isExpired;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
