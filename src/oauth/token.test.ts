import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import type { Provider, SignInProvider } from '../providers/model';
import { validateProvider } from '../providers/validate-provider';
import { SEED_PROVIDERS_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { startAuthorization, type PendingAuthorization } from './authorize';
import { describeOAuthError, OAuthError } from './errors';
import { parseRedirect } from './redirect';
import { checkTokenResponse, exchangeCode, refreshAccessToken, requestClientCredentialsToken, revokeToken, tokensFromRedirect } from './token';
import { signedJwt } from '../../test/support/jwt';
import { json, startTokenServer, type Answer, type ReceivedRequest, type TokenServer } from '../../test/fixtures/token-server';

const [, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [SignInProvider, SignInProvider];
const ACCESS_TOKEN = SKYVAULT_TOKEN_RESPONSE.access_token;
const REFRESH_TOKEN = SKYVAULT_TOKEN_RESPONSE.refresh_token;
const REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const CODE = 'SplxlOBeZQQYbYS6WxSbIA';

/** Fails if anything the user or a log could see of `error` holds a token or the client secret. */
function expectNoSecretShown(error: OAuthError): void {
  const shown = [error.message, describeOAuthError(error, 'SkyVault'), JSON.stringify(error), String(error.providerDescription)];
  for (const text of shown) {
    expect(text).not.toContain(ACCESS_TOKEN);
    expect(text).not.toContain(REFRESH_TOKEN);
    expect(text).not.toContain('my-api-secret');
  }
}

/** The OAuthError `promise` rejects with; every one is checked to show no token. */
async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OAuthError) {
      expectNoSecretShown(error);
      return error;
    }
    throw error;
  }
  throw new Error('expected an OAuthError');
}

function skyvaultAt(server: TokenServer, changes: Partial<SignInProvider> = {}): SignInProvider {
  return {
    ...SKYVAULT,
    tokenUrl: `${server.origin}/oauth/token`,
    revocationUrl: `${server.origin}/oauth/revoke`,
    ...changes,
  };
}

function response(status: number, body: string, type = 'application/json'): Response {
  return new Response(body, { status, headers: { 'content-type': type } });
}

const skyvaultJson = (changes: Record<string, unknown> = {}): Response =>
  response(200, JSON.stringify({ ...SKYVAULT_TOKEN_RESPONSE, ...changes }));

const HTML = '<!doctype html><html><body><h1>Sign in</h1></body></html>';

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('checkTokenResponse (plain Response objects)', () => {
  it("accepts SkyVault's documented answer", async () => {
    await expect(checkTokenResponse(skyvaultJson(), SKYVAULT)).resolves.toEqual({
      accessToken: ACCESS_TOKEN,
      tokenType: 'bearer',
      expiresIn: 3600,
      refreshToken: REFRESH_TOKEN,
      scope: ['public_api'],
    });
  });

  it('accepts a minimal answer: lowercase bearer, no expiry, refresh token or scope', async () => {
    const answer = response(200, JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'bearer' }));
    await expect(checkTokenResponse(answer, SKYVAULT)).resolves.toEqual({ accessToken: ACCESS_TOKEN, tokenType: 'bearer' });
  });

  it.each([
    ['HTML with status 200', response(200, HTML, 'text/html'), 'invalid_token_response', 'the body is text/html, not JSON'],
    ['invalid JSON', response(200, '{"access_token": "87727764-', 'application/json'), 'invalid_token_response', 'the body is not valid JSON'],
    ['a JSON array', response(200, '[]'), 'invalid_token_response', 'the body must be a JSON object'],
    ['missing access_token', skyvaultJson({ access_token: undefined }), 'invalid_token_response', '"access_token" is missing'],
    ['empty access_token', skyvaultJson({ access_token: '' }), 'invalid_token_response', '"access_token" must not be empty'],
    ['numeric access_token', skyvaultJson({ access_token: 42 }), 'invalid_token_response', '"access_token" must be a string, not a number'],
    ['missing token_type', skyvaultJson({ token_type: undefined }), 'invalid_token_response', '"token_type" is missing'],
    ['token_type "mac"', skyvaultJson({ token_type: 'mac' }), 'invalid_token_response', '"token_type" must be "Bearer" (got "mac")'],
    ['token_type "DPoP"', skyvaultJson({ token_type: 'DPoP' }), 'invalid_token_response', '"token_type" must be "Bearer" (got "DPoP")'],
    ['expires_in -5', skyvaultJson({ expires_in: -5 }), 'invalid_token_response', '"expires_in" must be a positive number'],
    ['expires_in 0', skyvaultJson({ expires_in: 0 }), 'invalid_token_response', '"expires_in" must be a positive number'],
    [
      'expires_in "3600"',
      skyvaultJson({ expires_in: '3600' }),
      'invalid_token_response',
      '"expires_in" must be a positive number, not a string',
    ],
    ['expires_in "abc"', skyvaultJson({ expires_in: 'abc' }), 'invalid_token_response', '"expires_in" must be a positive number, not a string'],
    ['expires_in null', skyvaultJson({ expires_in: null }), 'invalid_token_response', '"expires_in" must be a positive number, not null'],
    [
      'refresh_token a number',
      skyvaultJson({ refresh_token: 596 }),
      'invalid_token_response',
      '"refresh_token" must be a string, not a number',
    ],
    ['refresh_token empty', skyvaultJson({ refresh_token: '' }), 'invalid_token_response', '"refresh_token" must not be empty'],
    ['scope an array', skyvaultJson({ scope: ['public_api'] }), 'invalid_token_response', '"scope" must be a string, not an array'],
    [
      'HTML with status 500',
      response(500, HTML, 'text/html'),
      'token_endpoint_error',
      'the token endpoint answered HTTP 500 (text/html, not JSON)',
    ],
    [
      'HTML with status 400',
      response(400, HTML, 'text/html'),
      'token_endpoint_error',
      'the token endpoint answered HTTP 400 (text/html, not JSON)',
    ],
    [
      '500 with an OAuth error body',
      response(500, '{"error":"server_error"}'),
      'token_endpoint_error',
      'the token endpoint answered HTTP 500 with error server_error',
    ],
    [
      '400 invalid_grant',
      response(400, '{"error":"invalid_grant","error_description":"Code expired"}'),
      'invalid_grant',
      'the token endpoint answered HTTP 400 with error invalid_grant',
    ],
    [
      '200 carrying an error (GitHub style)',
      response(200, '{"error":"bad_verification_code"}'),
      'token_endpoint_error',
      'the token endpoint answered HTTP 200 with error bad_verification_code',
    ],
  ])('%s', async (_label, answer, code, message) => {
    const error = await rejection(checkTokenResponse(answer, SKYVAULT));
    expect(error).toMatchObject({ code, message, step: 'exchange' });
  });

  describe('id_token (OpenID Connect Core 3.1.3.3)', () => {
    const now = Math.floor(Date.now() / 1000);
    const idTokenClaims = { iss: 'https://auth.skyvault.example', sub: 'ada', aud: 'my-api-key', iat: now, exp: now + 300 };

    it('keeps an id_token whose claims oauth4webapi accepts, on the exchange and on a refresh', async () => {
      const idToken = signedJwt(idTokenClaims);
      const exchanged = await checkTokenResponse(skyvaultJson({ id_token: idToken }), SKYVAULT);
      expect(exchanged.idToken).toBe(idToken);
      const refreshed = await checkTokenResponse(skyvaultJson({ id_token: idToken }), SKYVAULT, { step: 'refresh' });
      expect(refreshed.idToken).toBe(idToken);
    });

    it.each([
      ['another issuer', { iss: 'https://evil.example' }, 'unexpected JWT "iss" (issuer) claim value'],
      ['another audience', { aud: 'other-client' }, 'unexpected JWT "aud" (audience) claim value'],
      ['an expired one', { exp: now - 600 }, 'unexpected JWT "exp" (expiration time) claim value, expiration is past current timestamp'],
    ])('refuses %s, without echoing it', async (_label, change, message) => {
      const idToken = signedJwt({ ...idTokenClaims, ...change });
      const error = await rejection(checkTokenResponse(skyvaultJson({ id_token: idToken }), SKYVAULT));
      expect(error).toMatchObject({ code: 'invalid_token_response', message });
      expect(JSON.stringify(error) + error.message).not.toContain(idToken);
    });
  });

  it('keeps the status and the OAuth error of a failed answer', async () => {
    const error = await rejection(checkTokenResponse(response(400, '{"error":"invalid_grant","error_description":"Code expired"}'), SKYVAULT));
    expect(error).toMatchObject({ status: 400, providerError: 'invalid_grant', providerDescription: 'Code expired' });
    const server500 = await rejection(checkTokenResponse(response(500, '{"error":"server_error"}'), SKYVAULT));
    expect(server500).toMatchObject({ status: 500, providerError: 'server_error' });
  });

  it('reads the OAuth error of a 401 that comes with a WWW-Authenticate challenge', async () => {
    const answer = new Response('{"error":"invalid_client","error_description":"Client authentication failed"}', {
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="skyvault"' },
    });
    const error = await rejection(checkTokenResponse(answer, SKYVAULT));
    expect(error).toMatchObject({ code: 'token_endpoint_error', status: 401, providerError: 'invalid_client' });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      "SkyVault's token endpoint refused the request (invalid_client: Client authentication failed). " +
        'Check the client ID and client secret. Nothing was changed.',
    );
  });

  it('never echoes a token from a bad answer', async () => {
    const tokenAsType = await rejection(checkTokenResponse(skyvaultJson({ token_type: ACCESS_TOKEN }), SKYVAULT));
    expect(tokenAsType.code).toBe('invalid_token_response');
    const tokenInDescription = await rejection(
      checkTokenResponse(
        response(400, JSON.stringify({ error: 'invalid_grant', error_description: `refresh token ${REFRESH_TOKEN} expired` })),
        SKYVAULT,
        { step: 'refresh' },
      ),
    );
    expect(tokenInDescription.providerDescription).toBe('refresh token [redacted] expired');
  });

  // Found by token-response.fuzz.test.ts: only the caller's secrets were redacted from an error
  // body, not the tokens the body itself carries (short or non-token-like ones escape TOKEN_LIKE).
  it('never echoes the tokens an error body carries itself', async () => {
    const refreshToken = 'rt 0123-abcd';
    const github = await rejection(
      checkTokenResponse(
        response(
          200,
          JSON.stringify({
            error: 'bad_verification_code',
            error_description: `refresh token ${refreshToken} expired`,
            refresh_token: refreshToken,
          }),
        ),
        SKYVAULT,
      ),
    );
    expect(github).toMatchObject({ code: 'token_endpoint_error', providerDescription: 'refresh token [redacted] expired' });
    const accessToken = 'at-0123-abcd';
    const echoed = await rejection(
      checkTokenResponse(response(400, JSON.stringify({ error: accessToken, access_token: accessToken })), SKYVAULT),
    );
    expect(echoed).toMatchObject({ code: 'token_endpoint_error', providerError: '[redacted]' });
    for (const error of [github, echoed]) {
      expect(describeOAuthError(error, 'SkyVault')).not.toMatch(/rt 0123-abcd|at-0123-abcd/);
      expect(error.message).not.toMatch(/rt 0123-abcd|at-0123-abcd/);
    }
  });
});

/**
 * A SkyVault-like token endpoint: checks what it receives like the real one would, codes are valid
 * once, refresh tokens rotate. Each check failing answers 400 with the reason as description.
 */
interface Expected {
  /** The S256 challenge sent in the authorize URL; set once the sign-in started. */
  challenge?: string | null;
  clientAuth: 'body' | 'basic' | 'none';
  clientSecret?: string;
  redirectUri?: string;
}

/** application/x-www-form-urlencoded decoding, as RFC 6749 2.3.1 asks of Basic credentials. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function skyvaultEndpoint(expected: Expected): (request: ReceivedRequest) => Answer {
  const usedCodes = new Set<string>();
  return (request) => {
    const form = request.form;
    const secret = expected.clientSecret ?? 'my-api-secret';
    const problem = (description: string): Answer => json(400, { error: 'invalid_request', error_description: description });
    if (request.method !== 'POST') return problem('method');
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return problem('content-type');

    const basic = request.headers.authorization;
    if (expected.clientAuth === 'basic') {
      const decoded = Buffer.from(basic?.replace(/^Basic /, '') ?? '', 'base64').toString();
      const colon = decoded.indexOf(':');
      const [id, password] = [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
      if (id !== 'my-api-key' || password !== secret) return json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic' });
      if (form.has('client_secret')) return problem('secret in body too');
    } else {
      if (basic !== undefined) return problem('unexpected Authorization header');
      if (form.get('client_id') !== 'my-api-key') return json(401, { error: 'invalid_client' });
      if (form.get('client_secret') !== (expected.clientAuth === 'body' ? secret : null)) {
        return json(401, { error: 'invalid_client' });
      }
    }

    if (request.path === '/oauth/revoke') {
      if (form.get('token') === null) return problem('token');
      return { status: 200 };
    }

    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const code = form.get('code')!;
        if (form.get('redirect_uri') !== expected.redirectUri) return problem('redirect_uri');
        const verifier = form.get('code_verifier');
        if (expected.challenge !== undefined && expected.challenge !== null) {
          const challenge = createHash('sha256')
            .update(verifier ?? '')
            .digest('base64url');
          if (challenge !== expected.challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        } else if (verifier !== null) {
          return problem('unexpected code_verifier');
        }
        if (code !== CODE || usedCodes.has(code))
          return json(400, { error: 'invalid_grant', error_description: 'Code expired or already used' });
        usedCodes.add(code);
        return json(200, SKYVAULT_TOKEN_RESPONSE, { 'cache-control': 'no-store' });
      }
      case 'refresh_token':
        if (form.get('refresh_token') !== REFRESH_TOKEN) {
          return json(400, { error: 'invalid_grant', error_description: `Refresh token ${form.get('refresh_token')} expired` });
        }
        return json(200, { ...SKYVAULT_TOKEN_RESPONSE, access_token: 'new-access-0001', refresh_token: 'new-refresh-0001' });
      default:
        return json(400, { error: 'unsupported_grant_type' });
    }
  };
}

/** Runs the SkyVault authorize step and its redirect: the pending sign-in plus the S256 challenge sent. */
async function signIn(provider: SignInProvider): Promise<{ pending: PendingAuthorization; challenge: string | null; code: string }> {
  const { url, pending } = await startAuthorization(provider, REDIRECT_URI);
  const sent = new URL(url).searchParams;
  const redirect = `${REDIRECT_URI}?code=${CODE}&state=${encodeURIComponent(sent.get('state')!)}`;
  const result = parseRedirect(redirect, provider, pending);
  if (result.kind !== 'code') throw new Error('expected a code');
  return { pending, challenge: sent.get('code_challenge'), code: result.code };
}

describe('exchangeCode against a local SkyVault-like server', () => {
  it('SkyVault end to end: authorize URL → redirect → code exchange with PKCE and the secret in the body', async () => {
    const expected: Expected = { clientAuth: 'body', redirectUri: REDIRECT_URI };
    server = await startTokenServer(skyvaultEndpoint(expected));
    const provider = skyvaultAt(server);
    const signedIn = await signIn(provider);
    expected.challenge = signedIn.challenge;

    const tokens = await exchangeCode(provider, signedIn.code, signedIn.pending);
    expect(tokens).toEqual({
      accessToken: ACCESS_TOKEN,
      tokenType: 'bearer',
      expiresIn: 3600,
      refreshToken: REFRESH_TOKEN,
      scope: ['public_api'],
    });
    const [request] = server.received;
    expect(request!.path).toBe('/oauth/token');
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT_URI,
      code_verifier: signedIn.pending.codeVerifier,
      client_id: 'my-api-key',
      client_secret: 'my-api-secret',
    });
    expect(request!.headers.authorization).toBeUndefined();
    expect(request!.headers.accept).toBe('application/json');
  });

  it('a reused code → invalid_grant, with the sign-in wording', async () => {
    const expected: Expected = { clientAuth: 'body', redirectUri: REDIRECT_URI };
    server = await startTokenServer(skyvaultEndpoint(expected));
    const provider = skyvaultAt(server);
    const signedIn = await signIn(provider);
    expected.challenge = signedIn.challenge;
    await exchangeCode(provider, signedIn.code, signedIn.pending);

    const error = await rejection(exchangeCode(provider, signedIn.code, signedIn.pending));
    expect(error).toMatchObject({ code: 'invalid_grant', status: 400, step: 'exchange' });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      'SkyVault rejected the sign-in code (invalid_grant: Code expired or already used). Try connecting again. Nothing was changed.',
    );
  });

  it('a wrong verifier → invalid_grant (the server checks the S256 challenge)', async () => {
    server = await startTokenServer(skyvaultEndpoint({ challenge: 'not-the-challenge', clientAuth: 'body', redirectUri: REDIRECT_URI }));
    const provider = skyvaultAt(server);
    const { pending, code } = await signIn(provider);
    const error = await rejection(exchangeCode(provider, code, pending));
    expect(error).toMatchObject({ code: 'invalid_grant', providerDescription: 'PKCE verification failed' });
  });

  it('clientAuth "basic" sends the secret as HTTP Basic (as curl -u would), not in the body', async () => {
    const expected: Expected = { clientAuth: 'basic', redirectUri: REDIRECT_URI };
    server = await startTokenServer(skyvaultEndpoint(expected));
    const provider = skyvaultAt(server, { clientAuth: 'basic' });
    const signedIn = await signIn(provider);
    expected.challenge = signedIn.challenge;
    await expect(exchangeCode(provider, signedIn.code, signedIn.pending)).resolves.toMatchObject({ accessToken: ACCESS_TOKEN });
    const [request] = server.received;
    expect(request!.headers.authorization).toBe(`Basic ${btoa('my-api-key:my-api-secret')}`);
    expect(request!.form.has('client_secret')).toBe(false);
    expect(request!.form.has('client_id')).toBe(false);
  });

  it('clientAuth "basic" form-encodes a secret with reserved characters (RFC 6749 2.3.1)', async () => {
    const secret = 'a+b/c=d:e f~';
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'basic', clientSecret: secret }));
    await expect(refreshAccessToken(skyvaultAt(server, { clientAuth: 'basic', clientSecret: secret }), REFRESH_TOKEN)).resolves.toMatchObject({
      accessToken: 'new-access-0001',
    });
    const header = server.received[0]!.headers.authorization!;
    expect(Buffer.from(header.replace('Basic ', ''), 'base64').toString()).toBe('my-api-key:a%2Bb%2Fc%3Dd%3Ae+f%7E');
  });

  it('a wrong secret with clientAuth "basic" → token_endpoint_error invalid_client (401 with a challenge)', async () => {
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'basic' }));
    const error = await rejection(refreshAccessToken(skyvaultAt(server, { clientAuth: 'basic', clientSecret: 'wrong-secret' }), REFRESH_TOKEN));
    expect(error).toMatchObject({ code: 'token_endpoint_error', status: 401, providerError: 'invalid_client', step: 'refresh' });
  });

  it('a public client without PKCE sends client_id only and no verifier', async () => {
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'none', redirectUri: REDIRECT_URI }));
    const provider: SignInProvider = { ...skyvaultAt(server), pkce: false };
    delete provider.clientSecret;
    const signedIn = await signIn(provider);
    expect(signedIn.challenge).toBeNull();
    await expect(exchangeCode(provider, signedIn.code, signedIn.pending)).resolves.toMatchObject({ accessToken: ACCESS_TOKEN });
    expect(Object.fromEntries(server.received[0]!.form)).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT_URI,
      client_id: 'my-api-key',
    });
  });

  it('a wrong client secret → token_endpoint_error invalid_client', async () => {
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'body', redirectUri: REDIRECT_URI }));
    const provider = skyvaultAt(server, { clientSecret: 'wrong-secret' });
    const { pending, code } = await signIn(provider);
    const error = await rejection(exchangeCode(provider, code, pending));
    expect(error).toMatchObject({ code: 'token_endpoint_error', status: 401, providerError: 'invalid_client' });
  });

  it("a 500 page → token_endpoint_error with SkyVault's status", async () => {
    server = await startTokenServer(() => ({ status: 500, headers: { 'content-type': 'text/html' }, body: HTML }));
    const provider = skyvaultAt(server);
    const { pending, code } = await signIn(provider);
    const error = await rejection(exchangeCode(provider, code, pending));
    expect(error).toMatchObject({ code: 'token_endpoint_error', status: 500 });
    expect(describeOAuthError(error, 'SkyVault')).toBe("SkyVault's token endpoint answered HTTP 500. Try again later. Nothing was changed.");
  });

  it('connection refused (server closed) → network', async () => {
    server = await startTokenServer(() => json(200, SKYVAULT_TOKEN_RESPONSE));
    const provider = skyvaultAt(server);
    await server.close();
    server = undefined;
    const { pending, code } = await signIn(provider);
    const error = await rejection(exchangeCode(provider, code, pending));
    expect(error).toMatchObject({ code: 'network', step: 'exchange', message: 'the request to the token endpoint failed (ECONNREFUSED)' });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      'Could not reach SkyVault (network error). Check that it is running and try again. Nothing was changed.',
    );
  });

  it('the server hangs up without answering → network', async () => {
    server = await startTokenServer(() => 'hang-up');
    const provider = skyvaultAt(server);
    const { pending, code } = await signIn(provider);
    const error = await rejection(exchangeCode(provider, code, pending));
    expect(error.code).toBe('network');
  });

  it('an aborted request → network (aborted)', async () => {
    server = await startTokenServer(() => json(200, SKYVAULT_TOKEN_RESPONSE));
    const provider = skyvaultAt(server);
    const { pending, code } = await signIn(provider);
    const error = await rejection(exchangeCode(provider, code, pending, { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'network', message: 'the request to the token endpoint failed (aborted)' });
    expect(server.received).toHaveLength(0);
  });

  it('uses options.fetch for the request (https endpoint, no network)', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = (input, init) => {
      calls.push(`${init?.method} ${new Request(input).url}`);
      return Promise.resolve(skyvaultJson());
    };
    const { pending, code } = await signIn(SKYVAULT);
    await expect(exchangeCode(SKYVAULT, code, pending, { fetch: fakeFetch })).resolves.toMatchObject({ accessToken: ACCESS_TOKEN });
    expect(calls).toEqual(['POST https://auth.skyvault.example/oauth/token']);
  });

  it('refuses a plain-http token endpoint that is not on a loopback host, before sending anything', async () => {
    const provider = { ...SKYVAULT, tokenUrl: 'http://auth.skyvault.example/oauth/token' };
    const { pending, code } = await signIn(provider);
    const error = await rejection(
      exchangeCode(provider, code, pending, {
        fetch: () => {
          throw new Error('no request expected');
        },
      }),
    );
    expect(error).toMatchObject({ code: 'provider_config' });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      'SkyVault is not set up for this: an endpoint URL must be https (or http on localhost / 127.0.0.1). Edit the provider and try again. Nothing was changed.',
    );
  });

  it('a provider without a token URL → provider_config', async () => {
    const provider: Provider = { ...SKYVAULT };
    delete provider.tokenUrl;
    const { pending, code } = await signIn(SKYVAULT);
    const error = await rejection(exchangeCode(provider, code, pending));
    expect(error).toMatchObject({ code: 'provider_config', message: 'it has no token URL' });
  });

  it('a pending sign-in of another provider → state_mismatch', async () => {
    const { pending, code } = await signIn(SKYVAULT);
    const error = await rejection(exchangeCode({ ...SKYVAULT, id: 'other' }, code, pending));
    expect(error.code).toBe('state_mismatch');
  });
});

describe('tokensFromRedirect: the one step from a redirect to tokens, in both flows', () => {
  const [READYCLOUD] = parseProviderJson(SEED_PROVIDERS_JSON) as [SignInProvider, SignInProvider];

  it('takes an implicit token from the fragment as it came, with no request', async () => {
    const { pending } = await startAuthorization(READYCLOUD, REDIRECT_URI);
    const redirect = `${REDIRECT_URI}#access_token=rc-token-0001&token_type=Bearer&expires_in=3600&state=${encodeURIComponent(pending.state)}`;
    await expect(tokensFromRedirect(READYCLOUD, redirect, pending)).resolves.toEqual({
      accessToken: 'rc-token-0001',
      tokenType: 'bearer',
      expiresIn: 3600,
    });
  });

  it("exchanges a code from the query at the provider's token endpoint, with the sign-in's PKCE verifier", async () => {
    const expected: Expected = { clientAuth: 'body', redirectUri: REDIRECT_URI };
    server = await startTokenServer(skyvaultEndpoint(expected));
    const provider = skyvaultAt(server);
    const { url, pending } = await startAuthorization(provider, REDIRECT_URI);
    expected.challenge = new URL(url).searchParams.get('code_challenge');
    const redirect = `${REDIRECT_URI}?code=${CODE}&state=${encodeURIComponent(pending.state)}`;
    await expect(tokensFromRedirect(provider, redirect, pending)).resolves.toMatchObject({
      accessToken: ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
    });
    expect(server.received.map((request) => request.form.get('code_verifier'))).toEqual([pending.codeVerifier]);
  });

  it('exchanges nothing when the redirect is not the answer to this sign-in', async () => {
    server = await startTokenServer(() => json(200, SKYVAULT_TOKEN_RESPONSE));
    const provider = skyvaultAt(server);
    const { pending } = await startAuthorization(provider, REDIRECT_URI);
    const error = await rejection(tokensFromRedirect(provider, `${REDIRECT_URI}?code=${CODE}&state=someone-elses`, pending));
    expect(error.code).toBe('state_mismatch');
    expect(server.received).toEqual([]);
  });
});

describe('refreshAccessToken', () => {
  it('sends grant_type=refresh_token and returns the rotated tokens', async () => {
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'body' }));
    const tokens = await refreshAccessToken(skyvaultAt(server), REFRESH_TOKEN);
    expect(tokens).toEqual({
      accessToken: 'new-access-0001',
      tokenType: 'bearer',
      expiresIn: 3600,
      refreshToken: 'new-refresh-0001',
      scope: ['public_api'],
    });
    expect(Object.fromEntries(server.received[0]!.form)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH_TOKEN,
      client_id: 'my-api-key',
      client_secret: 'my-api-secret',
    });
  });

  it("adds the provider's tokenParams to the code exchange and to the refresh", async () => {
    const tokenParams = { audience: 'https://api.skyvault.example/', resource: 'urn:skyvault:files' };
    const expected: Expected = { clientAuth: 'basic', redirectUri: REDIRECT_URI };
    server = await startTokenServer(skyvaultEndpoint(expected));
    const provider = skyvaultAt(server, { clientAuth: 'basic', tokenParams });
    const signedIn = await signIn(provider);
    expected.challenge = signedIn.challenge;
    await exchangeCode(provider, signedIn.code, signedIn.pending);
    await refreshAccessToken(provider, REFRESH_TOKEN);
    const [exchange, refresh] = server.received.map((request) => Object.fromEntries(request.form));
    expect(exchange).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT_URI,
      code_verifier: signedIn.pending.codeVerifier,
      ...tokenParams,
    });
    expect(refresh).toEqual({ grant_type: 'refresh_token', refresh_token: REFRESH_TOKEN, ...tokenParams });
  });

  it('a dead refresh token → invalid_grant: reconnect, and the token is not echoed', async () => {
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'body' }));
    const deadToken = 'c0ffee00-dead-4bad-8bad-0123456789ab';
    const error = await rejection(refreshAccessToken(skyvaultAt(server), deadToken));
    expect(error).toMatchObject({ code: 'invalid_grant', step: 'refresh', providerDescription: 'Refresh token [redacted] expired' });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      "SkyVault no longer accepts this account's refresh token (invalid_grant: Refresh token [redacted] expired). Reconnect the account.",
    );
    expect(JSON.stringify(error) + error.message + describeOAuthError(error, 'SkyVault')).not.toContain(deadToken);
  });

  it('an unusable answer keeps the account as it was', async () => {
    server = await startTokenServer(() => json(200, { ...SKYVAULT_TOKEN_RESPONSE, expires_in: '3600' }));
    const error = await rejection(refreshAccessToken(skyvaultAt(server), REFRESH_TOKEN));
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      'SkyVault sent an unusable token response: "expires_in" must be a positive number, not a string. Try again; if it keeps happening, ' +
        "check the provider's Token URL or contact SkyVault. The account keeps its current token.",
    );
  });

  it('connection refused → network', async () => {
    server = await startTokenServer(() => json(200, SKYVAULT_TOKEN_RESPONSE));
    const provider = skyvaultAt(server);
    await server.close();
    server = undefined;
    const error = await rejection(refreshAccessToken(provider, REFRESH_TOKEN));
    expect(error).toMatchObject({ code: 'network', step: 'refresh' });
  });
});

describe('revokeToken', () => {
  it('posts the token with its hint and client authentication (RFC 7009 2.1)', async () => {
    server = await startTokenServer(skyvaultEndpoint({ clientAuth: 'body' }));
    await expect(revokeToken(skyvaultAt(server), REFRESH_TOKEN, 'refresh_token')).resolves.toBeUndefined();
    const [request] = server.received;
    expect(request!.path).toBe('/oauth/revoke');
    expect(Object.fromEntries(request!.form)).toEqual({
      token: REFRESH_TOKEN,
      token_type_hint: 'refresh_token',
      client_id: 'my-api-key',
      client_secret: 'my-api-secret',
    });
  });

  it('accepts 204 No Content', async () => {
    server = await startTokenServer(() => ({ status: 204 }));
    await expect(revokeToken(skyvaultAt(server), ACCESS_TOKEN, 'access_token')).resolves.toBeUndefined();
  });

  it('a 503 → token_endpoint_error worded for the revocation endpoint', async () => {
    server = await startTokenServer(() => ({ status: 503, headers: { 'retry-after': '30' } }));
    const error = await rejection(revokeToken(skyvaultAt(server), ACCESS_TOKEN, 'access_token'));
    expect(error).toMatchObject({ code: 'token_endpoint_error', step: 'revoke', status: 503 });
    expect(describeOAuthError(error, 'SkyVault')).toBe("SkyVault's revocation endpoint answered HTTP 503. Try again later.");
  });

  it('an OAuth error body → token_endpoint_error with it', async () => {
    server = await startTokenServer(() => json(400, { error: 'unsupported_token_type' }));
    const error = await rejection(revokeToken(skyvaultAt(server), ACCESS_TOKEN, 'access_token'));
    expect(error).toMatchObject({ code: 'token_endpoint_error', providerError: 'unsupported_token_type' });
  });

  it('a provider without a revocation URL → provider_config', async () => {
    const provider: Provider = { ...SKYVAULT };
    delete provider.revocationUrl;
    const error = await rejection(revokeToken(provider, ACCESS_TOKEN, 'access_token'));
    expect(error).toMatchObject({ code: 'provider_config', step: 'revoke', message: 'it has no revocation URL' });
  });

  it('connection refused → network', async () => {
    server = await startTokenServer(() => ({ status: 200 }));
    const provider = skyvaultAt(server);
    await server.close();
    server = undefined;
    const error = await rejection(revokeToken(provider, ACCESS_TOKEN, 'access_token'));
    expect(error).toMatchObject({ code: 'network', message: 'the request to the revocation endpoint failed (ECONNREFUSED)' });
  });
});

describe('no error ever shows a token', () => {
  // Every test above checks its own errors (rejection); this one needs no other test to have run.
  const echo = { error: 'invalid_grant', error_description: `tokens ${ACCESS_TOKEN} and ${REFRESH_TOKEN}, secret my-api-secret` };
  // The secrets the exchange hands the checker (token.ts: the code, the verifier, the client secret).
  const exchangeSecrets = { secrets: ['my-api-secret'] };

  it('holds for a provider that echoes the tokens and the secret, at every step', async () => {
    server = await startTokenServer(() => json(400, echo));
    const errors = [
      await rejection(checkTokenResponse(response(400, JSON.stringify(echo)), SKYVAULT, exchangeSecrets)),
      await rejection(checkTokenResponse(skyvaultJson({ token_type: ACCESS_TOKEN }), SKYVAULT, exchangeSecrets)),
      await rejection(refreshAccessToken(skyvaultAt(server), REFRESH_TOKEN)),
      await rejection(revokeToken(skyvaultAt(server), ACCESS_TOKEN, 'access_token')),
      await rejection(revokeToken(skyvaultAt(server), REFRESH_TOKEN, 'refresh_token')),
    ];
    expect(errors.map((error) => error.step)).toEqual(['exchange', 'exchange', 'refresh', 'revoke', 'revoke']);
    // The provider's own words came through, with the secrets taken out.
    expect(errors[2]!.providerDescription).toMatch(/^tokens .*redacted/);
  });
});

describe('requestClientCredentialsToken (RFC 6749 4.4), against a real local token endpoint', () => {
  const SERVICE_TOKEN = 'svc-Z2l2ZW4tdG8tYS1tYWNoaW5lLTAwMQ';
  /** A machine client of SkyVault's token endpoint, as imported. */
  const serviceAt = (endpoint: TokenServer, changes: Record<string, unknown> = {}): Provider =>
    validateProvider({
      id: 'service',
      name: 'Service',
      flow: 'client_credentials',
      tokenUrl: `${endpoint.origin}/oauth/token`,
      clientId: 'my-api-key',
      clientSecret: 'my-api-secret',
      scopes: ['reports:read', 'reports:write'],
      tokenParams: { audience: 'https://api.example.com/' },
      apiBaseUrls: ['https://api.example.com/'],
      ...changes,
    });
  const issued = () => json(200, { access_token: SERVICE_TOKEN, token_type: 'Bearer', expires_in: 300 });

  it('sends grant_type, the scopes space-joined, tokenParams and the secret in the body', async () => {
    server = await startTokenServer(issued);
    await expect(requestClientCredentialsToken(serviceAt(server), 'exchange')).resolves.toEqual({
      accessToken: SERVICE_TOKEN,
      tokenType: 'bearer',
      expiresIn: 300,
    });
    const [request] = server.received;
    expect(request!.path).toBe('/oauth/token');
    expect(Object.fromEntries(request!.form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'reports:read reports:write',
      audience: 'https://api.example.com/',
      client_id: 'my-api-key',
      client_secret: 'my-api-secret',
    });
    expect(request!.headers.authorization).toBeUndefined();
  });

  it('sends the secret as HTTP Basic with clientAuth "basic", and no scope when scopes is empty', async () => {
    server = await startTokenServer(issued);
    await requestClientCredentialsToken(serviceAt(server, { clientAuth: 'basic', scopes: [], tokenParams: {} }), 'exchange');
    const [request] = server.received;
    expect(request!.headers.authorization).toBe(`Basic ${btoa('my-api-key:my-api-secret')}`);
    expect(Object.fromEntries(request!.form)).toEqual({ grant_type: 'client_credentials' });
  });

  it('a refused secret is invalid_client, told as a check of the client ID and secret, without the secret', async () => {
    server = await startTokenServer(() => json(401, { error: 'invalid_client', error_description: 'client authentication failed' }));
    const error = await rejection(requestClientCredentialsToken(serviceAt(server), 'exchange'));
    expect(error.code).toBe('token_endpoint_error');
    expect(describeOAuthError(error, 'Service')).toBe(
      "Service's token endpoint refused the request (invalid_client: client authentication failed). Check the client ID and client secret. Nothing was changed.",
    );
  });

  it('at renewal a failure says the account keeps its token', async () => {
    server = await startTokenServer(() => json(503, { error: 'temporarily_unavailable' }));
    const error = await rejection(requestClientCredentialsToken(serviceAt(server), 'refresh'));
    expect(error.step).toBe('refresh');
    expect(describeOAuthError(error, 'Service')).toMatch(/Try again later\. The account keeps its current token\.$/);
  });

  it('checks the answer like any token response', async () => {
    server = await startTokenServer(() => json(200, { access_token: SERVICE_TOKEN, token_type: 'mac' }));
    const error = await rejection(requestClientCredentialsToken(serviceAt(server), 'exchange'));
    expect(error.message).toBe('"token_type" must be "Bearer" (got "mac")');
  });
});
