import { describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import type { SignInProvider } from '../providers/model';
import { SEED_PROVIDERS_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { startAuthorization } from './authorize';
import { describeOAuthError, OAuthError } from './errors';
import { parseRedirect } from './redirect';

const [READYCLOUD, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [SignInProvider, SignInProvider];
const REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const TOKEN = SKYVAULT_TOKEN_RESPONSE.access_token;
const PENDING = { state: 'Xo2v7c1dWq9sA0kRb3mT5yZ8uE4nH6jL1pQ2rS3tU4v', redirectUri: REDIRECT_URI };
const STATE = encodeURIComponent(PENDING.state);

function oauthErrorOf(run: () => unknown): OAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

function expectNoToken(error: OAuthError, providerName = 'ReadyCloud'): void {
  expect(error.message).not.toContain(TOKEN);
  expect(describeOAuthError(error, providerName)).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
}

describe('parseRedirect: both seed flows end to end', () => {
  it('ReadyCloud: reads the token from the fragment of the redirect it was sent to', async () => {
    const { url, pending } = await startAuthorization(READYCLOUD, REDIRECT_URI);
    const sent = new URL(url).searchParams;
    // What ReadyCloud does on "Allow": redirect to the redirect URI with the token in the fragment.
    const redirect =
      `${sent.get('redirect_uri')}#access_token=${TOKEN}&token_type=Bearer&expires_in=36000` +
      `&scope=orders%3Aread&state=${encodeURIComponent(sent.get('state')!)}`;
    expect(parseRedirect(redirect, READYCLOUD, pending)).toEqual({
      kind: 'token',
      accessToken: TOKEN,
      tokenType: 'bearer',
      expiresIn: 36000,
      scope: ['orders:read'],
    });
  });

  it('SkyVault: reads the code from the query', async () => {
    const { url, pending } = await startAuthorization(SKYVAULT, REDIRECT_URI);
    const state = new URL(url).searchParams.get('state')!;
    const redirect = `${REDIRECT_URI}?code=SplxlOBeZQQYbYS6WxSbIA&state=${encodeURIComponent(state)}`;
    expect(parseRedirect(redirect, SKYVAULT, pending)).toEqual({ kind: 'code', code: 'SplxlOBeZQQYbYS6WxSbIA' });
  });

  it('implicit: token_type in any case, expires_in and scope optional, "+" and %20 as scope separators', () => {
    expect(parseRedirect(`${REDIRECT_URI}#access_token=${TOKEN}&token_type=bearer&state=${STATE}`, READYCLOUD, PENDING)).toEqual({
      kind: 'token',
      accessToken: TOKEN,
      tokenType: 'bearer',
    });
    const both = parseRedirect(
      `${REDIRECT_URI}#access_token=${TOKEN}&token_type=BEARER&scope=orders%3Aread+orders%3Awrite%20users&state=${STATE}`,
      READYCLOUD,
      PENDING,
    );
    expect(both).toMatchObject({ scope: ['orders:read', 'orders:write', 'users'] });
  });

  it('reads only the fragment for implicit and only the query for code', () => {
    const tokenInQuery = `${REDIRECT_URI}?access_token=${TOKEN}&token_type=Bearer&state=${STATE}`;
    expect(oauthErrorOf(() => parseRedirect(tokenInQuery, READYCLOUD, PENDING)).code).toBe('state_mismatch');
    const codeInFragment = `${REDIRECT_URI}#code=abc&state=${STATE}`;
    expect(oauthErrorOf(() => parseRedirect(codeInFragment, SKYVAULT, PENDING)).code).toBe('state_mismatch');
  });
});

describe('parseRedirect: error redirects', () => {
  it('access_denied in the fragment (implicit) → access_denied', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}#error=access_denied&state=${STATE}`, READYCLOUD, PENDING));
    expect(error).toMatchObject({ code: 'access_denied', step: 'authorize', providerError: 'access_denied' });
    expect(describeOAuthError(error, 'ReadyCloud')).toBe('ReadyCloud denied access (access_denied). Nothing was changed.');
  });

  it('access_denied in the query (code) → access_denied, with its description', () => {
    const error = oauthErrorOf(() =>
      parseRedirect(`${REDIRECT_URI}?error=access_denied&error_description=The+user+denied+access&state=${STATE}`, SKYVAULT, PENDING),
    );
    expect(error).toMatchObject({ code: 'access_denied', providerDescription: 'The user denied access' });
    expect(describeOAuthError(error, 'SkyVault')).toBe('SkyVault denied access (access_denied: The user denied access). Nothing was changed.');
  });

  it('another error keeps error and error_description → provider_error', () => {
    const error = oauthErrorOf(() =>
      parseRedirect(`${REDIRECT_URI}?error=invalid_scope&error_description=Unknown+scope+%22admin%22&state=${STATE}`, SKYVAULT, PENDING),
    );
    expect(error).toMatchObject({
      code: 'provider_error',
      providerError: 'invalid_scope',
      providerDescription: 'Unknown scope "admin"',
    });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      'SkyVault refused the sign-in (invalid_scope: Unknown scope "admin"). Check the provider settings (client ID, flow, scopes). Nothing was changed.',
    );
  });

  it('an implicit error sent in the query is still reported', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?error=unsupported_response_type&state=${STATE}`, READYCLOUD, PENDING));
    expect(error).toMatchObject({ code: 'provider_error', providerError: 'unsupported_response_type' });
  });

  it('an error with a wrong state is a state mismatch (it does not answer our request)', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}#error=access_denied&state=other`, READYCLOUD, PENDING));
    expect(error.code).toBe('state_mismatch');
  });

  it('an error without any state is reported as the provider error (nothing is stored either way)', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}#error=access_denied`, READYCLOUD, PENDING));
    expect(error.code).toBe('access_denied');
  });

  it('caps a long description and never echoes a token from it', () => {
    const description = `token ${TOKEN} was refused. ${'x'.repeat(500)}`;
    const error = oauthErrorOf(() =>
      parseRedirect(
        `${REDIRECT_URI}#error=server_error&error_description=${encodeURIComponent(description)}&state=${STATE}`,
        READYCLOUD,
        PENDING,
      ),
    );
    expect(error.providerDescription!.length).toBeLessThanOrEqual(200);
    expect(error.providerDescription).toMatch(/^token \[redacted\] was refused\./);
    expectNoToken(error);
  });
});

describe('parseRedirect: answers that are not ours or not usable', () => {
  it('state mismatch', () => {
    const error = oauthErrorOf(() =>
      parseRedirect(`${REDIRECT_URI}#access_token=${TOKEN}&token_type=Bearer&state=forged`, READYCLOUD, PENDING),
    );
    expect(error).toMatchObject({ code: 'state_mismatch', message: 'the "state" parameter does not match this sign-in' });
    expect(describeOAuthError(error, 'ReadyCloud')).toBe(
      'The answer did not match this sign-in (state mismatch); it was ignored. Try connecting again. Nothing was changed.',
    );
    expectNoToken(error);
  });

  it('missing state', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc`, SKYVAULT, PENDING));
    expect(error).toMatchObject({ code: 'state_mismatch', message: 'the "state" parameter is missing' });
  });

  it('missing code', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?state=${STATE}`, SKYVAULT, PENDING));
    expect(error).toMatchObject({ code: 'missing_code', message: 'the "code" parameter is missing' });
    expect(describeOAuthError(error, 'SkyVault')).toBe(
      'SkyVault sent no sign-in code (missing code). Try connecting again. Nothing was changed.',
    );
  });

  it('empty code', () => {
    expect(oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=&state=${STATE}`, SKYVAULT, PENDING)).code).toBe('missing_code');
  });

  it('missing access_token, with a hint when a code came instead', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}#token_type=Bearer&state=${STATE}`, READYCLOUD, PENDING));
    expect(error).toMatchObject({ code: 'missing_token', message: 'the "access_token" parameter is missing' });
    const codeInstead = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}#code=abc&state=${STATE}`, READYCLOUD, PENDING));
    expect(codeInstead.message).toBe('the "access_token" parameter is missing (the answer holds a "code": is the flow "code"?)');
  });

  it.each([
    ['token_type=mac', '"token_type" must be "Bearer" (got "mac")'],
    ['token_type=DPoP', '"token_type" must be "Bearer" (got "DPoP")'],
    ['', '"token_type" is missing (RFC 6749 4.2.2)'],
    ['token_type=Bearer&expires_in=-5', '"expires_in" must be a positive whole number of seconds'],
    ['token_type=Bearer&expires_in=0', '"expires_in" must be a positive whole number of seconds'],
    ['token_type=Bearer&expires_in=abc', '"expires_in" must be a positive whole number of seconds'],
    ['token_type=Bearer&expires_in=36.5', '"expires_in" must be a positive whole number of seconds'],
    ['token_type=Bearer&expires_in=', '"expires_in" must be a positive whole number of seconds'],
  ])('implicit %j → invalid_redirect', (extra, message) => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}#access_token=${TOKEN}&${extra}&state=${STATE}`, READYCLOUD, PENDING));
    expect(error).toMatchObject({ code: 'invalid_redirect', message });
    expect(describeOAuthError(error, 'ReadyCloud')).toBe(
      `ReadyCloud sent back an unusable answer: ${message}. Try again; if it keeps happening, check the provider settings or contact ReadyCloud. Nothing was changed.`,
    );
    expectNoToken(error);
  });

  it('a token_type that repeats the token is not echoed', () => {
    const error = oauthErrorOf(() =>
      parseRedirect(`${REDIRECT_URI}#access_token=${TOKEN}&token_type=${TOKEN}&state=${STATE}`, READYCLOUD, PENDING),
    );
    expect(error.code).toBe('invalid_redirect');
    expectNoToken(error);
  });

  it.each([
    ['another path', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/other'],
    ['another host', 'https://evil.example/'],
    ['a lookalike host', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org.evil.example/'],
    ['another scheme', 'http://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/'],
    ['another port', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org:8443/'],
  ])('wrong redirect URL (%s) → invalid_redirect, without echoing it', (_label, base) => {
    const error = oauthErrorOf(() => parseRedirect(`${base}#access_token=${TOKEN}&token_type=Bearer&state=${STATE}`, READYCLOUD, PENDING));
    expect(error).toMatchObject({
      code: 'invalid_redirect',
      message: `the answer arrived elsewhere than at this provider's redirect URL ${REDIRECT_URI} (did it pass the sign-in on to another provider?)`,
    });
    expectNoToken(error);
  });

  it("another provider's redirect URL → invalid_redirect: each provider's sign-in accepts only its own (mix-up)", () => {
    const own = { ...PENDING, redirectUri: `${REDIRECT_URI}forwarder` };
    for (const elsewhere of [`${REDIRECT_URI}skyvault`, REDIRECT_URI, `${REDIRECT_URI}forwarder/x`, `${REDIRECT_URI}forwarderx`]) {
      const error = oauthErrorOf(() => parseRedirect(`${elsewhere}?code=abc&state=${STATE}`, SKYVAULT, own));
      expect(error.code).toBe('invalid_redirect');
      expect(describeOAuthError(error, 'Forwarder')).toMatch(
        /^Forwarder sent back an unusable answer: the answer arrived elsewhere than at this provider's redirect URL https:\/\/\w+\.chromiumapp\.org\/forwarder \(did it pass the sign-in on to another provider\?\)\./,
      );
    }
    expect(parseRedirect(`${REDIRECT_URI}forwarder?code=abc&state=${STATE}`, SKYVAULT, own)).toEqual({ kind: 'code', code: 'abc' });
  });

  it('not a URL at all → invalid_redirect', () => {
    expect(oauthErrorOf(() => parseRedirect('about:blank', READYCLOUD, PENDING)).code).toBe('invalid_redirect');
    expect(oauthErrorOf(() => parseRedirect('not a url', READYCLOUD, PENDING)).code).toBe('invalid_redirect');
  });

  it('a repeated parameter → invalid_redirect (RFC 6749 3.1)', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=a&code=b&state=${STATE}`, SKYVAULT, PENDING));
    expect(error).toMatchObject({ code: 'invalid_redirect', message: 'the "code" parameter appears more than once' });
  });

  it('keeps a query the redirect URI itself has', () => {
    const pending = { ...PENDING, redirectUri: 'http://127.0.0.1:8080/callback?app=tokentap' };
    const result = parseRedirect(`http://127.0.0.1:8080/callback?app=tokentap&code=abc&state=${STATE}`, SKYVAULT, pending);
    expect(result).toEqual({ kind: 'code', code: 'abc' });
  });
});

describe('parseRedirect: iss (RFC 9207)', () => {
  const issuer = 'https://auth.skyvault.example';
  const withIssuer = { ...SKYVAULT, issuer };

  it('accepts and returns the configured issuer', () => {
    const iss = encodeURIComponent(issuer);
    expect(parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${iss}`, withIssuer, PENDING)).toEqual({
      kind: 'code',
      code: 'abc',
      iss: issuer,
    });
  });

  it('another issuer → issuer_mismatch, even on an error redirect', () => {
    const other = encodeURIComponent('https://evil.example');
    const mixUp = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${other}`, withIssuer, PENDING));
    expect(mixUp).toMatchObject({ code: 'issuer_mismatch', message: 'the "iss" parameter is not the configured issuer' });
    expect(describeOAuthError(mixUp, 'SkyVault')).toBe(
      'The answer did not come from SkyVault (issuer mismatch); it was ignored. Nothing was changed.',
    );
    const errorMixUp = oauthErrorOf(() =>
      parseRedirect(`${REDIRECT_URI}?error=access_denied&state=${STATE}&iss=${other}`, withIssuer, PENDING),
    );
    expect(errorMixUp.code).toBe('issuer_mismatch');
  });

  it('missing iss when an issuer is configured → issuer_missing, which says how to accept answers without it', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}`, withIssuer, PENDING));
    expect(error).toMatchObject({ code: 'issuer_missing', message: 'the "iss" parameter is missing (RFC 9207)' });
  });

  it('requireIss true is the default: missing iss is refused either way', () => {
    const error = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}`, { ...withIssuer, requireIss: true }, PENDING));
    expect(error).toMatchObject({ code: 'issuer_missing', message: 'the "iss" parameter is missing (RFC 9207)' });
  });

  it('requireIss false: an answer without iss is accepted, and no iss is returned', () => {
    const lenient = { ...withIssuer, requireIss: false };
    expect(parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}`, lenient, PENDING)).toEqual({ kind: 'code', code: 'abc' });
    expect(() => parseRedirect(`${REDIRECT_URI}?error=access_denied&state=${STATE}`, lenient, PENDING)).toThrow(
      expect.objectContaining({ code: 'access_denied' }),
    );
  });

  it('requireIss false: a present iss must still equal the issuer, and is returned when it does', () => {
    const lenient = { ...withIssuer, requireIss: false };
    expect(parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${encodeURIComponent(issuer)}`, lenient, PENDING)).toEqual({
      kind: 'code',
      code: 'abc',
      iss: issuer,
    });
    for (const other of ['https://evil.example', `${issuer}/`, `${issuer}/tenant`]) {
      const mixUp = oauthErrorOf(() =>
        parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${encodeURIComponent(other)}`, lenient, PENDING),
      );
      expect(mixUp).toMatchObject({ code: 'issuer_mismatch', message: 'the "iss" parameter is not the configured issuer' });
      const onError = () =>
        parseRedirect(`${REDIRECT_URI}?error=access_denied&state=${STATE}&iss=${encodeURIComponent(other)}`, lenient, PENDING);
      expect(oauthErrorOf(onError).code).toBe('issuer_mismatch');
    }
  });

  it('requireIss false with the implicit flow: the token is read without iss, and a wrong iss is refused', () => {
    const lenient = { ...READYCLOUD, issuer, requireIss: false };
    const answer = `${REDIRECT_URI}#access_token=${TOKEN}&token_type=Bearer&state=${STATE}`;
    expect(parseRedirect(answer, lenient, PENDING)).toMatchObject({ kind: 'token', accessToken: TOKEN });
    const wrong = oauthErrorOf(() => parseRedirect(`${answer}&iss=${encodeURIComponent('https://evil.example')}`, lenient, PENDING));
    expect(wrong.code).toBe('issuer_mismatch');
    expectNoToken(wrong);
  });

  it('a trailing-slash variant is another issuer (simple string comparison)', () => {
    const iss = encodeURIComponent(`${issuer}/`);
    expect(oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${iss}`, withIssuer, PENDING)).code).toBe(
      'issuer_mismatch',
    );
  });

  it("without a configured issuer an iss naming the Authorization URL's origin is accepted and not returned", () => {
    const origin = new URL(SKYVAULT.authorizationUrl).origin;
    for (const iss of [origin, `${origin}/`, `${origin}/tenant/v2.0`]) {
      expect(parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${encodeURIComponent(iss)}`, SKYVAULT, PENDING)).toEqual({
        kind: 'code',
        code: 'abc',
      });
    }
  });

  it('without a configured issuer an iss naming another server → issuer_mismatch (mix-up), in both flows and on errors', () => {
    const { host } = new URL(SKYVAULT.authorizationUrl);
    const others = ['https://evil.example', `http://${host}`, `https://${host}:8443`, `https://sub.${host}`, 'not a url', ''];
    for (const iss of others.map(encodeURIComponent)) {
      const mixUp = oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc&state=${STATE}&iss=${iss}`, SKYVAULT, PENDING));
      expect(mixUp).toMatchObject({
        code: 'issuer_mismatch',
        message: `the "iss" parameter names another server than the Authorization URL's`,
      });
      expect(describeOAuthError(mixUp, 'SkyVault')).toBe(
        'The answer did not come from SkyVault (issuer mismatch); it was ignored. Nothing was changed.',
      );
      expect(oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?error=access_denied&state=${STATE}&iss=${iss}`, SKYVAULT, PENDING)).code).toBe(
        'issuer_mismatch',
      );
    }
    const implicit = `${REDIRECT_URI}#access_token=${TOKEN}&token_type=Bearer&state=${STATE}&iss=${encodeURIComponent('https://skyvault.example')}`;
    expect(oauthErrorOf(() => parseRedirect(implicit, READYCLOUD, PENDING)).code).toBe('issuer_mismatch');
  });

  it('checks state before iss', () => {
    const other = encodeURIComponent('https://evil.example');
    expect(oauthErrorOf(() => parseRedirect(`${REDIRECT_URI}?code=abc&state=x&iss=${other}`, withIssuer, PENDING)).code).toBe('state_mismatch');
  });
});
