import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { basicAuthHeader, startDemo, type Demo } from './index';
import { DEFAULT_READYCLOUD_CONFIG } from './readycloud';
import { DEFAULT_SKYVAULT_CONFIG, type SkyVaultTokenFault } from './skyvault';

const REDIRECT = 'https://tokentapdemotest.chromiumapp.org/';
const OTHER_REDIRECT = 'https://evil.example/callback';

let demo: Demo;
const consoleSpies = [vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];

beforeAll(async () => {
  demo = await startDemo({ redirectUris: { readycloud: [REDIRECT], skyvault: [REDIRECT] } });
});

afterAll(async () => {
  await demo.close();
  // The servers never print anything (so never a token).
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});

afterEach(() => {
  Object.assign(demo.readycloud.config, DEFAULT_READYCLOUD_CONFIG);
  Object.assign(demo.skyvault.config, DEFAULT_SKYVAULT_CONFIG);
  delete demo.skyvault.config.issuer;
});

// ---- helpers ------------------------------------------------------------------------------------

function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers });
}

function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(fields) });
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function location(res: Response): string {
  const value = res.headers.get('location');
  expect(value, `status ${res.status} without Location`).toBeTruthy();
  return value as string;
}

function fragment(uri: string): Record<string, string> {
  const at = uri.indexOf('#');
  return Object.fromEntries(new URLSearchParams(at < 0 ? '' : uri.slice(at + 1)));
}

function query(uri: string): Record<string, string> {
  return Object.fromEntries(new URL(uri).searchParams);
}

function url(base: string, path: string, params: Record<string, string>): string {
  const u = new URL(path, base);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

// ReadyCloud

function rcParams(extra: Record<string, string> = {}): Record<string, string> {
  return { response_type: 'token', client_id: 'readycloud-demo-app', scope: 'orders:read', redirect_uri: REDIRECT, state: 'st-123', ...extra };
}

async function rcDecide(params: Record<string, string>, decision: 'allow' | 'deny'): Promise<Response> {
  return postForm(`${demo.readycloud.origin}/oauth/authorize`, { ...params, decision });
}

async function rcToken(scope = 'orders:read'): Promise<string> {
  const res = await rcDecide(rcParams({ scope }), 'allow');
  expect(res.status).toBe(302);
  const token = fragment(location(res)).access_token;
  expect(token).toBeTruthy();
  return token as string;
}

// SkyVault

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function svParams(extra: Record<string, string> = {}): Record<string, string> {
  return { response_type: 'code', client_id: 'skyvault-demo-key', redirect_uri: REDIRECT, scope: 'public_api', state: 'sv-state', ...extra };
}

async function svLogin(params: Record<string, string>, username = 'fred.bloggs', password = 'skyvault', decision = 'allow'): Promise<Response> {
  return postForm(`${demo.skyvault.origin}/oauth/authorize`, { ...params, username, password, decision });
}

async function svCode(pkce = true): Promise<{ code: string; verifier?: string }> {
  const pair = pkcePair();
  const params = pkce ? svParams({ code_challenge: pair.challenge, code_challenge_method: 'S256' }) : svParams();
  const res = await svLogin(params);
  expect(res.status).toBe(302);
  const q = query(location(res));
  expect(q.state).toBe('sv-state');
  expect(q.code).toBeTruthy();
  return pkce ? { code: q.code as string, verifier: pair.verifier } : { code: q.code as string };
}

const SECRET = { client_id: 'skyvault-demo-key', client_secret: 'skyvault-demo-secret' };

function svToken(fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return postForm(`${demo.skyvault.origin}/oauth/token`, fields, headers);
}

async function exchange(code: string, verifier: string | undefined, auth: 'body' | 'basic' = 'body'): Promise<Response> {
  const fields: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
  if (verifier !== undefined) fields.code_verifier = verifier;
  if (auth === 'body') return svToken({ ...fields, ...SECRET });
  return svToken(fields, { Authorization: basicAuthHeader(SECRET.client_id, SECRET.client_secret) });
}

interface TokenJson {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
}

async function svTokens(): Promise<TokenJson> {
  const { code, verifier } = await svCode();
  const res = await exchange(code, verifier);
  expect(res.status).toBe(200);
  return (await res.json()) as TokenJson;
}

interface SiteList {
  list: {
    pagination: { count: number; hasMoreItems: boolean; skipCount: number; maxItems: number };
    entries: Array<{ entry: { site: Record<string, string>; id: string; role: string } }>;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---- ReadyCloud ---------------------------------------------------------------------------------

describe('ReadyCloud (implicit grant)', () => {
  it('shows a consent page, and repeating the GET is harmless', async () => {
    const authorizeUrl = url(demo.readycloud.origin, '/oauth/authorize', rcParams({ scope: 'orders:read orders:full' }));
    const first = await get(authorizeUrl);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/html');
    expect(first.headers.get('location')).toBeNull();
    const html = await first.text();
    expect(html).toContain('Signed in as <strong>demo@readycloud.test</strong>');
    expect(html).toContain('TokenTap Demo');
    expect(html).toContain('read-only access');
    expect(html).toContain('full access');
    expect(html).toMatch(/<form method="post" action="\/oauth\/authorize">/);
    expect(html).toMatch(/<button[^>]*value="allow">Allow<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny">Deny<\/button>/);
    expect(html).toContain(`<input type="hidden" name="redirect_uri" value="${REDIRECT}">`);
    expect(html).toContain('<input type="hidden" name="state" value="st-123">');
    const second = await get(authorizeUrl);
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(html);
  });

  it('Allow redirects with the token in the fragment, and the API accepts it', async () => {
    const res = await rcDecide(rcParams(), 'allow');
    expect(res.status).toBe(302);
    const loc = location(res);
    expect(loc.startsWith(`${REDIRECT}#`)).toBe(true);
    expect(new URL(loc).search).toBe('');
    const f = fragment(loc);
    expect(f).toMatchObject({ token_type: 'Bearer', expires_in: '2592000', scope: 'orders:read', state: 'st-123' });
    expect(f.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const orders = await get(`${demo.readycloud.origin}/api/v1/orders`, bearer(f.access_token as string));
    expect(orders.status).toBe(200);
    expect(orders.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await orders.json()) as { count: number; results: unknown[] };
    expect(body.results.length).toBe(body.count);
    expect(body.count).toBeGreaterThan(0);

    const who = await get(`${demo.readycloud.origin}/api/v1/whoami`, bearer(f.access_token as string));
    expect(await who.json()).toMatchObject({ user: 'demo@readycloud.test', scopes: ['orders:read'], expiresIn: 2592000 });
  });

  it('uses the configured token lifetime at run time, and expired tokens get 401', async () => {
    demo.readycloud.config.tokenLifetimeSeconds = 1;
    const res = await rcDecide(rcParams(), 'allow');
    const f = fragment(location(res));
    expect(f.expires_in).toBe('1');
    expect((await get(`${demo.readycloud.origin}/api/v1/orders`, bearer(f.access_token as string))).status).toBe(200);
    await sleep(1100);
    const expired = await get(`${demo.readycloud.origin}/api/v1/orders`, bearer(f.access_token as string));
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('Deny redirects with access_denied in the fragment', async () => {
    const res = await rcDecide(rcParams(), 'deny');
    expect(res.status).toBe(302);
    const loc = location(res);
    expect(loc).toBe(`${REDIRECT}#error=access_denied&error_description=The+user+denied+access&state=st-123`);
  });

  it('with rememberConsent, a browser that allowed once gets a new token at once, for no more scopes', async () => {
    demo.readycloud.config.rememberConsent = true;
    const allowed = await rcDecide(rcParams(), 'allow');
    const cookie = allowed.headers.get('set-cookie')?.split(';')[0];
    expect(cookie).toMatch(/^rc_session=/);
    const first = fragment(location(allowed)).access_token;

    const again = await get(url(demo.readycloud.origin, '/oauth/authorize', rcParams({ state: 'st-456' })), { Cookie: cookie! });
    expect(again.status).toBe(302);
    const silent = fragment(location(again));
    expect(silent).toMatchObject({ token_type: 'Bearer', scope: 'orders:read', state: 'st-456' });
    expect(silent.access_token).not.toBe(first);
    expect((await get(`${demo.readycloud.origin}/api/v1/orders`, bearer(silent.access_token!))).status).toBe(200);

    // More scopes than allowed, another browser, or the switch off: the consent page again.
    const more = await get(url(demo.readycloud.origin, '/oauth/authorize', rcParams({ scope: 'orders:read orders:full' })), {
      Cookie: cookie!,
    });
    const stranger = await get(url(demo.readycloud.origin, '/oauth/authorize', rcParams()));
    demo.readycloud.config.rememberConsent = false;
    const off = await get(url(demo.readycloud.origin, '/oauth/authorize', rcParams()), { Cookie: cookie! });
    for (const res of [more, stranger, off]) {
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Allow');
    }
  });

  it('an unregistered redirect_uri or unknown client gets an error page, never a redirect', async () => {
    for (const params of [
      rcParams({ redirect_uri: OTHER_REDIRECT }),
      rcParams({ client_id: 'nobody' }),
      rcParams({ redirect_uri: `${REDIRECT}x` }),
    ]) {
      const res = await get(url(demo.readycloud.origin, '/oauth/authorize', params));
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('role="alert"');
      // POSTing the same (as if Allow were forged) is refused the same way.
      const post = await rcDecide(params, 'allow');
      expect(post.status).toBe(400);
      expect(post.headers.get('location')).toBeNull();
    }
  });

  it('bad scope or response_type redirect with an error once the redirect URI is valid', async () => {
    const bad = await get(url(demo.readycloud.origin, '/oauth/authorize', rcParams({ scope: 'orders:read admin' })));
    expect(bad.status).toBe(302);
    expect(fragment(location(bad))).toMatchObject({ error: 'invalid_scope', state: 'st-123' });
    expect(fragment(location(bad)).error_description).toBeTruthy();

    const code = await get(url(demo.readycloud.origin, '/oauth/authorize', rcParams({ response_type: 'code' })));
    expect(code.status).toBe(302);
    expect(fragment(location(code))).toMatchObject({ error: 'unsupported_response_type', state: 'st-123' });
  });

  it('an omitted scope asks for all scopes', async () => {
    const params = rcParams();
    delete params.scope;
    const page = await (await get(url(demo.readycloud.origin, '/oauth/authorize', params))).text();
    expect(page).toContain('orders:read');
    expect(page).toContain('orders:full');
    const f = fragment(location(await rcDecide(params, 'allow')));
    expect(f.scope).toBe('orders:read orders:full');
  });

  it('without a registered redirect URI the token goes to the default token page', async () => {
    const params = { response_type: 'token', client_id: 'readycloud-no-redirect', scope: 'orders:read' };
    const consent = await get(url(demo.readycloud.origin, '/oauth/authorize', params));
    expect(consent.status).toBe(200);
    const res = await rcDecide(params, 'allow');
    expect(res.status).toBe(302);
    const loc = location(res);
    expect(loc.startsWith(`${demo.readycloud.origin}/oauth/token-page#access_token=`)).toBe(true);
    const token = fragment(loc).access_token as string;
    expect((await get(`${demo.readycloud.origin}/api/v1/orders`, bearer(token))).status).toBe(200);

    const tokenPage = await get(loc.split('#')[0] as string);
    expect(tokenPage.status).toBe(200);
    const html = await tokenPage.text();
    expect(html).toContain('location.hash');
    expect(html).toContain('<label for="token">Access token</label>');
    expect(html).not.toContain(token);

    // A redirect_uri other than the default page is refused for this app.
    const other = await get(url(demo.readycloud.origin, '/oauth/authorize', { ...params, redirect_uri: REDIRECT }));
    expect(other.status).toBe(400);
    expect(other.headers.get('location')).toBeNull();
  });

  it('the API needs a valid bearer token and the right scope', async () => {
    const api = `${demo.readycloud.origin}/api/v1/orders`;
    const none = await get(api);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(none.headers.get('access-control-allow-origin')).toBe('*');
    expect(await none.json()).toMatchObject({ error: 'invalid_token' });
    expect((await get(api, bearer('not-a-token'))).status).toBe(401);
    expect((await get(api, { Authorization: 'Basic Zm9vOmJhcg==' })).status).toBe(401);

    const readOnly = await rcToken('orders:read');
    const denied = await fetch(api, {
      method: 'POST',
      headers: { ...bearer(readOnly), 'Content-Type': 'application/json' },
      body: '{"customer":"X"}',
    });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(await denied.json()).toMatchObject({ error: 'insufficient_scope' });

    const full = await rcToken('orders:full');
    const created = await fetch(api, {
      method: 'POST',
      headers: { ...bearer(full), 'Content-Type': 'application/json' },
      body: '{"customer":"Katherine Johnson","total":7}',
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ customer: 'Katherine Johnson', total: '7.00' });
    expect((await get(api, bearer(full))).status).toBe(200);
  });

  it('a read-only token reads but may not write: 403 saying the token is read-only, and no order is made', async () => {
    const api = `${demo.readycloud.origin}/api/v1/orders`;
    const readOnly = await rcToken('orders:read');
    const before = (await (await get(api, bearer(readOnly))).json()) as { count: number };
    const write = await fetch(api, {
      method: 'POST',
      headers: { ...bearer(readOnly), 'Content-Type': 'application/json' },
      body: '{"customer":"Read Only","total":1}',
    });
    expect(write.status).toBe(403);
    expect(write.headers.get('access-control-allow-origin')).toBe('*');
    expect(write.headers.get('www-authenticate')).toContain('scope="orders:full"');
    expect(await write.json()).toEqual({
      error: 'insufficient_scope',
      error_description: 'This token is read-only (orders:read): changing orders needs full access (orders:full)',
    });
    // Refused before the body is read: a malformed one gets the same 403.
    const malformed = await fetch(api, { method: 'POST', headers: { ...bearer(readOnly), 'Content-Type': 'text/plain' }, body: 'x' });
    expect(malformed.status).toBe(403);
    const after = await get(api, bearer(readOnly));
    expect(after.status).toBe(200);
    expect(((await after.json()) as { count: number }).count).toBe(before.count);
  });

  it('offers full and read-only access in the provider JSON, full first, with scopes it knows', () => {
    const [rc] = demo.providerJson.providers as Array<Record<string, unknown>>;
    expect(rc).toMatchObject({
      scopes: ['orders:read'],
      scopeOptions: [
        { label: 'Full access', scopes: ['orders:full'] },
        { label: 'Read only', scopes: ['orders:read'] },
      ],
    });
  });

  it('answers CORS preflights without allowing Authorization', async () => {
    const res = await fetch(`${demo.readycloud.origin}/api/v1/orders`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:1234', 'Access-Control-Request-Method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type');
  });

  it('records the requests it received', async () => {
    await get(`${demo.readycloud.origin}/api/v1/whoami?x=1`, { 'X-Test': 'yes' });
    const last = demo.readycloud.requests.at(-1);
    expect(last).toMatchObject({ method: 'GET', path: '/api/v1/whoami', url: '/api/v1/whoami?x=1', query: { x: '1' } });
    expect(last?.headers['x-test']).toBe('yes');
  });
});

// ---- SkyVault -----------------------------------------------------------------------------------

describe('SkyVault (authorization code grant)', () => {
  it('shows a login page, and repeating the GET is harmless', async () => {
    const { challenge } = pkcePair();
    const authorizeUrl = url(demo.skyvault.origin, '/oauth/authorize', svParams({ code_challenge: challenge, code_challenge_method: 'S256' }));
    const first = await get(authorizeUrl);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('SkyVault wants to let TokenTap Demo access your account');
    expect(html).toContain('<label for="username">User ID</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toMatch(/<button[^>]*value="allow">Sign in and allow<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
    expect(html).toContain(`<input type="hidden" name="code_challenge" value="${challenge}">`);
    const second = await get(authorizeUrl);
    expect(await second.text()).toBe(html);
  });

  it('a wrong password shows the login page again with an alert', async () => {
    const res = await svLogin(svParams(), 'fred.bloggs', 'wrong');
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    const html = await res.text();
    expect(html).toMatch(/<p role="alert"[^>]*>Wrong user ID or password\.<\/p>/);
    expect(html).toContain('value="fred.bloggs"');
    const wrongUser = await svLogin(svParams(), 'someone', 'skyvault');
    expect(await wrongUser.text()).toContain('Wrong user ID or password.');
  });

  it('Deny redirects with access_denied in the query', async () => {
    const res = await svLogin(svParams(), '', '', 'deny');
    expect(res.status).toBe(302);
    expect(query(location(res))).toMatchObject({ error: 'access_denied', state: 'sv-state' });
    expect(location(res).startsWith(`${REDIRECT}?`)).toBe(true);
  });

  it('refuses unknown clients and unregistered callback URLs with a page, not a redirect', async () => {
    for (const params of [
      svParams({ redirect_uri: OTHER_REDIRECT }),
      svParams({ client_id: 'nobody' }),
      (() => {
        const p = svParams();
        delete p.redirect_uri;
        return p;
      })(),
    ]) {
      const res = await get(url(demo.skyvault.origin, '/oauth/authorize', params));
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('role="alert"');
      const post = await svLogin(params);
      expect(post.status).toBe(400);
      expect(post.headers.get('location')).toBeNull();
    }
  });

  it('redirects with errors for a bad scope, response_type or PKCE method', async () => {
    const scope = await get(url(demo.skyvault.origin, '/oauth/authorize', svParams({ scope: 'everything' })));
    expect(scope.status).toBe(302);
    expect(query(location(scope))).toMatchObject({ error: 'invalid_scope', state: 'sv-state' });

    const type = await get(url(demo.skyvault.origin, '/oauth/authorize', svParams({ response_type: 'token' })));
    expect(query(location(type))).toMatchObject({ error: 'unsupported_response_type', state: 'sv-state' });

    const { verifier } = pkcePair();
    const plain = await get(
      url(demo.skyvault.origin, '/oauth/authorize', svParams({ code_challenge: verifier, code_challenge_method: 'plain' })),
    );
    expect(plain.status).toBe(302);
    expect(query(location(plain))).toMatchObject({ error: 'invalid_request', state: 'sv-state' });
  });

  it('exchanges a code with PKCE and the secret in the body', async () => {
    const { code, verifier } = await svCode();
    const res = await exchange(code, verifier, 'body');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as TokenJson;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'public_api' });
    expect(body.access_token).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.refresh_token).toMatch(/^[0-9a-f-]{36}$/);

    const recorded = demo.skyvault.requests.filter((r) => r.path === '/oauth/token').at(-1);
    expect(recorded?.params).toMatchObject({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_secret: 'skyvault-demo-secret',
    });

    const sites = await get(`${demo.skyvault.origin}/api/sites`, bearer(body.access_token));
    expect(sites.status).toBe(200);
    expect(sites.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('exchanges a code with HTTP Basic client authentication', async () => {
    const { code, verifier } = await svCode();
    const res = await exchange(code, verifier, 'basic');
    expect(res.status).toBe(200);
    const recorded = demo.skyvault.requests.filter((r) => r.path === '/oauth/token').at(-1);
    expect(recorded?.headers.authorization).toMatch(/^Basic /);
    expect(recorded?.params.client_secret).toBeUndefined();
  });

  it('exchanges a code without PKCE when no challenge was sent, and refuses a stray verifier', async () => {
    const plain = await svCode(false);
    expect((await exchange(plain.code, undefined)).status).toBe(200);
    const stray = await svCode(false);
    const res = await exchange(stray.code, pkcePair().verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong or missing code_verifier', async () => {
    const wrong = await svCode();
    const res = await exchange(wrong.code, pkcePair().verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    const missing = await svCode();
    expect(await (await exchange(missing.code, undefined)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code works once; reusing it fails and revokes what it gave', async () => {
    const { code, verifier } = await svCode();
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as TokenJson;
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    const body = (await again.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_grant');
    expect(body.error_description).toBeTruthy();
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(tokens.access_token))).status).toBe(401);
  });

  it('a code expires after codeLifetimeSeconds', async () => {
    demo.skyvault.config.codeLifetimeSeconds = 1;
    const { code, verifier } = await svCode();
    await sleep(1100);
    const res = await exchange(code, verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('the redirect_uri must match the authorization request', async () => {
    const { code, verifier } = await svCode();
    const res = await svToken({
      grant_type: 'authorization_code',
      code,
      redirect_uri: OTHER_REDIRECT,
      code_verifier: verifier as string,
      ...SECRET,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('checks the client secret', async () => {
    const { code, verifier } = await svCode();
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier as string };
    const wrong = await svToken({ ...fields, client_id: 'skyvault-demo-key', client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_client' });
    const missing = await svToken({ ...fields, client_id: 'skyvault-demo-key' });
    expect(missing.status).toBe(401);
    const basicWrong = await svToken(fields, { Authorization: basicAuthHeader('skyvault-demo-key', 'nope') });
    expect(basicWrong.status).toBe(401);
    expect(basicWrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    // Failed client authentication does not use up the code.
    expect((await exchange(code, verifier)).status).toBe(200);
  });

  it('refuses unsupported grant types', async () => {
    const res = await svToken({ grant_type: 'password', username: 'fred.bloggs', password: 'skyvault', ...SECRET });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('refreshes; without rotation the refresh token keeps working', async () => {
    const tokens = await svTokens();
    const res = await svToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...SECRET });
    expect(res.status).toBe(200);
    const next = (await res.json()) as TokenJson;
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.refresh_token).toBe(tokens.refresh_token);
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(next.access_token))).status).toBe(200);
    const again = await svToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...SECRET });
    expect(again.status).toBe(200);
  });

  it('rotates refresh tokens when configured: the old one stops working', async () => {
    demo.skyvault.config.rotateRefreshTokens = true;
    const tokens = await svTokens();
    const res = await svToken(
      { grant_type: 'refresh_token', refresh_token: tokens.refresh_token },
      {
        Authorization: basicAuthHeader(SECRET.client_id, SECRET.client_secret),
      },
    );
    expect(res.status).toBe(200);
    const next = (await res.json()) as TokenJson;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const old = await svToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...SECRET });
    expect(old.status).toBe(400);
    expect(await old.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await svToken({ grant_type: 'refresh_token', refresh_token: next.refresh_token, ...SECRET })).status).toBe(200);
  });

  it('access and refresh tokens expire after their configured lifetimes', async () => {
    demo.skyvault.config.accessTokenLifetimeSeconds = 1;
    demo.skyvault.config.refreshTokenLifetimeSeconds = 1;
    const tokens = await svTokens();
    expect(tokens.expires_in).toBe(1);
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(tokens.access_token))).status).toBe(200);
    await sleep(1100);
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(tokens.access_token))).status).toBe(401);
    const refresh = await svToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...SECRET });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes access tokens, and refresh tokens with their access tokens', async () => {
    const revoke = (token: string, hint?: string): Promise<Response> =>
      postForm(`${demo.skyvault.origin}/oauth/revoke`, { token, ...(hint ? { token_type_hint: hint } : {}), ...SECRET });

    const a = await svTokens();
    expect((await revoke(a.access_token, 'access_token')).status).toBe(200);
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(a.access_token))).status).toBe(401);
    // The refresh token of that grant still works.
    expect((await svToken({ grant_type: 'refresh_token', refresh_token: a.refresh_token, ...SECRET })).status).toBe(200);

    const b = await svTokens();
    expect((await revoke(b.refresh_token, 'access_token')).status).toBe(200); // a wrong hint is only a hint
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(b.access_token))).status).toBe(401);
    expect((await svToken({ grant_type: 'refresh_token', refresh_token: b.refresh_token, ...SECRET })).status).toBe(400);

    expect((await revoke('unknown-token')).status).toBe(200);
    const unauthenticated = await postForm(`${demo.skyvault.origin}/oauth/revoke`, {
      token: 'x',
      client_id: 'skyvault-demo-key',
      client_secret: 'nope',
    });
    expect(unauthenticated.status).toBe(401);
  });

  it('the API answers 401 without a valid token', async () => {
    for (const headers of [{}, bearer('00000000-0000-0000-0000-000000000000')]) {
      const res = await get(`${demo.skyvault.origin}/api/sites`, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('paginates the site list as the seed document shows', async () => {
    const { access_token } = await svTokens();
    const list = async (q: string): Promise<{ status: number; body: SiteList }> => {
      const res = await get(`${demo.skyvault.origin}/api/sites${q}`, bearer(access_token));
      return { status: res.status, body: (await res.json()) as SiteList };
    };
    const all = await list('');
    // The seed's default page holds 100; the demo has 23 sites, enough to page through with maxItems.
    expect(all.body.list.pagination).toEqual({ count: 23, hasMoreItems: false, skipCount: 0, maxItems: 100 });
    expect(all.body.list.entries[0]).toEqual({
      entry: {
        site: { id: 'general-test-site', title: 'General Test Site', visibility: 'PRIVATE', description: 'Test Site' },
        id: 'general-test-site',
        role: 'SiteCollaborator',
      },
    });
    expect(all.body.list.entries[1]).toEqual({
      entry: {
        site: { id: 'fred-bloggs-yourcompany-com', visibility: 'PRIVATE', description: "Fred Bloggs's private home site." },
        id: 'fred-bloggs-yourcompany-com',
        role: 'SiteManager',
      },
    });
    const page1 = await list('?skipCount=0&maxItems=2');
    expect(page1.body.list.pagination).toEqual({ count: 2, hasMoreItems: true, skipCount: 0, maxItems: 2 });
    const page3 = await list('?skipCount=4&maxItems=2');
    expect(page3.body.list.pagination).toEqual({ count: 2, hasMoreItems: true, skipCount: 4, maxItems: 2 });
    expect(page3.body.list.entries[0]?.entry.id).toBe('engineering');
    const last = await list('?skipCount=20&maxItems=10');
    expect(last.body.list.pagination).toEqual({ count: 3, hasMoreItems: false, skipCount: 20, maxItems: 10 });
    expect(last.body.list.entries.map((e) => e.entry.id)).toEqual(['events', 'archive-2024', 'fred-bloggs-projects']);
    expect((await list('?skipCount=30')).body.list.pagination).toEqual({ count: 0, hasMoreItems: false, skipCount: 30, maxItems: 100 });
    expect((await list('?maxItems=0')).status).toBe(400);
    expect((await list('?skipCount=-1')).status).toBe(400);

    const me = await get(`${demo.skyvault.origin}/api/people/-me-`, bearer(access_token));
    expect(await me.json()).toMatchObject({ entry: { id: 'fred.bloggs' } });
  });

  it('rejectRequestsWithOrigin refuses token requests carrying an Origin header', async () => {
    demo.skyvault.config.rejectRequestsWithOrigin = true;
    const { code, verifier } = await svCode();
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier as string, ...SECRET };
    const withOrigin = await svToken(fields, { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' });
    expect(withOrigin.status).toBe(400);
    expect(await withOrigin.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Cross-origin token redemption is not allowed for confidential clients',
    });
    const without = await svToken(fields);
    expect(without.status).toBe(200);
  });

  it('sends iss in the authorization response when an issuer is configured', async () => {
    demo.skyvault.config.issuer = demo.skyvault.origin;
    const res = await svLogin(svParams());
    expect(query(location(res))).toMatchObject({ iss: demo.skyvault.origin, state: 'sv-state' });
    expect((demo.providerJson.providers[1] as { issuer?: string }).issuer).toBe(demo.skyvault.origin);
    delete demo.skyvault.config.issuer;
    expect(query(location(await svLogin(svParams())))).not.toHaveProperty('iss');
  });

  it('answers OPTIONS on the token endpoint harmlessly', async () => {
    const res = await fetch(`${demo.skyvault.origin}/oauth/token`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
  });
});

// ---- fault switches ------------------------------------------------------------------------------

describe('fault switches (for the failure tests)', () => {
  async function faultyExchange(fault: SkyVaultTokenFault): Promise<{ res: Response; code: string; verifier: string | undefined }> {
    const { code, verifier } = await svCode();
    demo.skyvault.config.tokenFault = fault;
    return { res: await exchange(code, verifier), code, verifier };
  }

  it.each([
    ['noAccessToken', (body: Record<string, unknown>) => expect(body).not.toHaveProperty('access_token')],
    ['tokenTypeMac', (body: Record<string, unknown>) => expect(body.token_type).toBe('mac')],
    ['expiresInNegative', (body: Record<string, unknown>) => expect(body.expires_in).toBe(-3600)],
    ['expiresInString', (body: Record<string, unknown>) => expect(body.expires_in).toBe('3600')],
  ] as const)('tokenFault %s spoils one field of a JSON token response', async (fault, check) => {
    const { res } = await faultyExchange(fault);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    check(body);
    expect(body.refresh_token).toBe(demo.skyvault.issued.at(-1)?.refresh_token);
    expect(body.scope).toBe('public_api');
  });

  it('tokenFault invalidJson cuts the token response short', async () => {
    const { res } = await faultyExchange('invalidJson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(text).toContain(`"access_token":"${demo.skyvault.issued.at(-1)?.access_token}"`);
  });

  it('tokenFault http500 and html answer before the code is looked at: it stays usable', async () => {
    const failed = await faultyExchange('http500');
    expect(failed.res.status).toBe(500);
    expect(failed.res.headers.get('content-type')).toMatch(/^text\/plain/);
    demo.skyvault.config.tokenFault = 'html';
    const html = await exchange(failed.code, failed.verifier);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('SkyVault is down for maintenance');
    demo.skyvault.config.tokenFault = 'none';
    expect((await exchange(failed.code, failed.verifier)).status).toBe(200);
  });

  it('tokenFault dropConnection closes the socket without an answer', async () => {
    const { code, verifier } = await svCode();
    demo.skyvault.config.tokenFault = 'dropConnection';
    await expect(exchange(code, verifier)).rejects.toThrow(TypeError);
    demo.skyvault.config.tokenFault = 'none';
    expect((await exchange(code, verifier)).status).toBe(200);
  });

  it('tokenFault applies to refreshes too', async () => {
    const tokens = await svTokens();
    demo.skyvault.config.tokenFault = 'http500';
    const res = await svToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, ...SECRET });
    expect(res.status).toBe(500);
  });

  it('records every token response it built in `issued`', async () => {
    const before = demo.skyvault.issued.length;
    const tokens = await svTokens();
    expect(demo.skyvault.issued.length).toBe(before + 1);
    expect(demo.skyvault.issued.at(-1)).toEqual(tokens);
  });

  it('a code is already expired at exchange when codeLifetimeSeconds is 0', async () => {
    demo.skyvault.config.codeLifetimeSeconds = 0;
    const { code, verifier } = await svCode();
    const res = await exchange(code, verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant', error_description: 'The authorization code expired.' });
  });

  it('redirectFault wrongState, noCode and temporarilyUnavailable spoil the authorization response', async () => {
    const pair = pkcePair();
    const params = svParams({ code_challenge: pair.challenge, code_challenge_method: 'S256' });
    demo.skyvault.config.redirectFault = 'wrongState';
    const wrong = query(location(await svLogin(params)));
    expect(wrong.code).toBeTruthy();
    expect(wrong.state).toBeTruthy();
    expect(wrong.state).not.toBe('sv-state');
    demo.skyvault.config.redirectFault = 'noCode';
    expect(query(location(await svLogin(params)))).toEqual({ state: 'sv-state' });
    demo.skyvault.config.redirectFault = 'temporarilyUnavailable';
    expect(query(location(await svLogin(params)))).toMatchObject({ error: 'temporarily_unavailable', state: 'sv-state' });
    expect(query(location(await svLogin(params)))).not.toHaveProperty('code');
  });

  it('redirectFault usedCode sends a code that was already redeemed', async () => {
    demo.skyvault.config.redirectFault = 'usedCode';
    const { code, verifier } = await svCode();
    const res = await exchange(code, verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant', error_description: 'The authorization code has already been used.' });
  });

  it('ReadyCloud redirectFault wrongState, noAccessToken and tokenTypeMac spoil the token redirect', async () => {
    demo.readycloud.config.redirectFault = 'wrongState';
    const wrong = fragment(location(await rcDecide(rcParams(), 'allow')));
    expect(wrong.access_token).toBe(demo.readycloud.issued.at(-1)?.accessToken);
    expect(wrong.state).toBeTruthy();
    expect(wrong.state).not.toBe('st-123');
    demo.readycloud.config.redirectFault = 'noAccessToken';
    const none = fragment(location(await rcDecide(rcParams(), 'allow')));
    expect(none).not.toHaveProperty('access_token');
    expect(none).toMatchObject({ token_type: 'Bearer', state: 'st-123' });
    demo.readycloud.config.redirectFault = 'tokenTypeMac';
    expect(fragment(location(await rcDecide(rcParams(), 'allow')))).toMatchObject({ token_type: 'mac', state: 'st-123' });
    demo.readycloud.config.redirectFault = 'none';
    const token = await rcToken();
    expect(demo.readycloud.issued.at(-1)?.accessToken).toBe(token);
  });
});

// ---- playground and provider JSON ---------------------------------------------------------------

describe('playground and provider JSON', () => {
  it('serves the playground on another host with both buttons and live results', async () => {
    expect(new URL(demo.playground.origin).hostname).toBe('localhost');
    expect(new URL(demo.playground.origin).host).not.toBe(new URL(demo.readycloud.origin).host);
    const res = await get(`${demo.playground.origin}/?auto=1`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<title>TokenTap playground</title>');
    expect(html).toMatch(/<button[^>]*>Call ReadyCloud API<\/button>/);
    expect(html).toMatch(/<button[^>]*>Call SkyVault API<\/button>/);
    expect(html).toMatch(/id="readycloud-result" aria-live="polite"/);
    expect(html).toMatch(/id="skyvault-result" aria-live="polite"/);
    expect(html).toMatch(/<label><input type="checkbox" id="repeat"> Call both APIs every 5 seconds<\/label>/);
    expect(html).toMatch(/id="skyvault-tally" role="status"/);
    // A write for ReadyCloud, so its read-only access shows; its answer shown like the reads'.
    expect(html).toMatch(/<button[^>]*>Create a ReadyCloud order<\/button>/);
    expect(html).toContain(`POST ${demo.readycloud.origin}/api/v1/orders`);
    expect(html).toMatch(/id="readycloud-write-tally" role="status"/);
    expect(html).toMatch(/id="readycloud-write-result" aria-live="polite"/);
    expect(html).toContain(`${demo.readycloud.origin}/api/v1/orders`);
    expect(html).toContain(`${demo.skyvault.origin}/api/sites`);
    expect(html).toContain("fetch(apis[name], { cache: 'no-store' })"); // no headers: the extension adds them
    expect(html).not.toMatch(/setRequestHeader|headers:/);
  });

  it('describes both providers in the provider JSON format', () => {
    const [rc, sv] = demo.providerJson.providers as Array<Record<string, unknown>>;
    expect(rc).toMatchObject({
      id: 'readycloud',
      name: 'ReadyCloud',
      flow: 'implicit',
      authorizationUrl: `${demo.readycloud.origin}/oauth/authorize`,
      clientId: 'readycloud-demo-app',
      apiBaseUrls: [`${demo.readycloud.origin}/api/v1/`],
    });
    expect(sv).toMatchObject({
      id: 'skyvault',
      name: 'SkyVault',
      flow: 'code',
      authorizationUrl: `${demo.skyvault.origin}/oauth/authorize`,
      tokenUrl: `${demo.skyvault.origin}/oauth/token`,
      revocationUrl: `${demo.skyvault.origin}/oauth/revoke`,
      clientId: 'skyvault-demo-key',
      clientSecret: 'skyvault-demo-secret',
      pkce: true,
      scopes: ['public_api'],
      apiBaseUrls: [`${demo.skyvault.origin}/api/`],
      refreshTokenTtl: 604_800,
    });
    expect(sv).not.toHaveProperty('issuer');
  });

  it('refuses malformed redirect URIs at start', async () => {
    await expect(startDemo({ redirectUris: { readycloud: ['not a url'], skyvault: [] } })).rejects.toThrow(TypeError);
    await expect(startDemo({ redirectUris: { readycloud: [], skyvault: ['https://x.example/#frag'] } })).rejects.toThrow(TypeError);
  });

  it('closes all servers', async () => {
    const other = await startDemo({ redirectUris: { readycloud: [REDIRECT], skyvault: [REDIRECT] } });
    const origins = [other.readycloud.origin, other.skyvault.origin, other.playground.origin];
    expect((await fetch(`${origins[0]}/api/v1/orders`)).status).toBe(401); // a keep-alive connection stays open
    await other.close();
    await other.close(); // idempotent
    for (const origin of origins) await expect(fetch(`${origin}/`)).rejects.toThrow();
  });
});

describe('SkyVault (device authorization grant, RFC 8628)', () => {
  const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
  const startDevice = async () => {
    const res = await postForm(`${demo.skyvault.origin}/oauth/device`, { ...SECRET, scope: 'public_api' });
    expect(res.status).toBe(200);
    return (await res.json()) as { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string };
  };
  const poll = async (deviceCode: string) => {
    const res = await svToken({ grant_type: DEVICE_GRANT, device_code: deviceCode, ...SECRET });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const decide = (userCode: string, decision: 'allow' | 'deny', password = 'skyvault') =>
    postForm(`${demo.skyvault.origin}/device`, { user_code: userCode, username: 'fred.bloggs', password, decision });

  it('gives a user code and the page to type it on, answers pending, then slow_down to a poll that comes too soon', async () => {
    const answer = await startDevice();
    expect(answer.user_code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(answer.verification_uri).toBe(`${demo.skyvault.origin}/device`);
    expect(answer.verification_uri_complete).toBe(`${answer.verification_uri}?user_code=${answer.user_code}`);
    expect(await (await get(answer.verification_uri_complete)).text()).toContain(`value="${answer.user_code}"`);
    expect((await poll(answer.device_code)).body.error).toBe('authorization_pending');
    expect((await poll(answer.device_code)).body.error).toBe('slow_down');
  });

  it('issues tokens once after the user signs in and allows (the code typed in lower case), which the API accepts', async () => {
    const answer = await startDevice();
    expect((await decide(answer.user_code.toLowerCase(), 'allow', 'wrong')).status).toBe(200);
    expect((await poll(answer.device_code)).body.error).toBe('authorization_pending');
    expect((await decide(answer.user_code.toLowerCase(), 'allow')).status).toBe(200);
    const { status, body } = await poll(answer.device_code);
    expect(status).toBe(200);
    expect((await get(`${demo.skyvault.origin}/api/sites`, bearer(body.access_token as string))).status).toBe(200);
    expect((await poll(answer.device_code)).body.error).toBe('invalid_grant');
  });

  it('answers access_denied after Deny, and expired_token once the code outlived its lifetime', async () => {
    const denied = await startDevice();
    await decide(denied.user_code, 'deny');
    expect((await poll(denied.device_code)).body.error).toBe('access_denied');
    demo.skyvault.config.codeLifetimeSeconds = 0;
    const expired = await startDevice();
    expect((await poll(expired.device_code)).body.error).toBe('expired_token');
    expect((await decide(expired.user_code, 'allow')).status).toBe(400);
  });
});
