import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import type { SignInProvider } from '../providers/model';
import { SEED_PROVIDERS_JSON } from '../../test/fixtures/seed-providers';
import { buildAuthorizeUrl, startAuthorization } from './authorize';

const [READYCLOUD, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [SignInProvider, SignInProvider];
const REDIRECT_URI = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

function paramsOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** RFC 7636 4.2 S256, computed independently of oauth4webapi. */
function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

describe('startAuthorization: ReadyCloud (implicit)', () => {
  it('asks for a token with client_id, redirect_uri, scope and a fresh state, and no PKCE', async () => {
    const { url, pending } = await startAuthorization(READYCLOUD, REDIRECT_URI, 1_700_000_000_000);
    expect(url.startsWith('https://www.readycloud.com/api/oauth2/authorize?')).toBe(true);
    expect(paramsOf(url)).toEqual({
      response_type: 'token',
      client_id: 'burgermaker-client',
      redirect_uri: REDIRECT_URI,
      scope: 'orders:read',
      state: pending.state,
    });
    expect(pending).toEqual({
      providerId: 'readycloud',
      state: pending.state,
      redirectUri: REDIRECT_URI,
      createdAt: 1_700_000_000_000,
    });
    expect(pending.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('ignores pkce for the implicit flow (there is no token request to bind)', async () => {
    const { url, pending } = await startAuthorization({ ...READYCLOUD, pkce: true }, REDIRECT_URI);
    expect(new URL(url).searchParams.has('code_challenge')).toBe(false);
    expect(pending.codeVerifier).toBeUndefined();
  });
});

describe('startAuthorization: SkyVault (authorization code)', () => {
  it('asks for a code with an S256 challenge of the kept verifier', async () => {
    const { url, pending } = await startAuthorization(SKYVAULT, REDIRECT_URI);
    const params = paramsOf(url);
    expect(Object.keys(params)).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
    ]);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: 'my-api-key',
      redirect_uri: REDIRECT_URI,
      scope: 'public_api',
      state: pending.state,
      code_challenge_method: 'S256',
    });
    expect(pending.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(params['code_challenge']).toBe(s256(pending.codeVerifier!));
    // The secret never goes into the browser's address bar.
    expect(url).not.toContain('my-api-secret');
  });

  it('uses a new state and verifier every time', async () => {
    const first = await startAuthorization(SKYVAULT, REDIRECT_URI);
    const second = await startAuthorization(SKYVAULT, REDIRECT_URI);
    expect(first.pending.state).not.toBe(second.pending.state);
    expect(first.pending.codeVerifier).not.toBe(second.pending.codeVerifier);
  });

  it('sends no challenge when pkce is off', async () => {
    const { url, pending } = await startAuthorization({ ...SKYVAULT, pkce: false }, REDIRECT_URI);
    expect(new URL(url).searchParams.has('code_challenge')).toBe(false);
    expect(new URL(url).searchParams.has('code_challenge_method')).toBe(false);
    expect(pending).not.toHaveProperty('codeVerifier');
  });
});

describe('buildAuthorizeUrl', () => {
  it('builds the exact URL, keeping the query already on the authorization URL and adding extraParams', () => {
    const provider = {
      ...SKYVAULT,
      authorizationUrl: 'http://127.0.0.1:8080/oauth/authorize?tenant=dev',
      scopes: ['public_api', 'sites:read'],
      extraParams: { prompt: 'consent', access_type: 'offline' },
    };
    const url = buildAuthorizeUrl(provider, 'http://127.0.0.1:8080/callback', { state: 'st4te', codeChallenge: 'ch4llenge' });
    expect(url).toBe(
      'http://127.0.0.1:8080/oauth/authorize?tenant=dev&response_type=code&client_id=my-api-key' +
        '&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fcallback&scope=public_api+sites%3Aread&state=st4te' +
        '&code_challenge=ch4llenge&code_challenge_method=S256&prompt=consent&access_type=offline',
    );
  });

  it('leaves scope out when the provider has no scopes', () => {
    const url = buildAuthorizeUrl({ ...READYCLOUD, scopes: [] }, REDIRECT_URI, { state: 's' });
    expect(new URL(url).searchParams.has('scope')).toBe(false);
    expect(url).not.toContain('scope=');
  });

  it('does not let a hand-made provider override reserved parameters through extraParams', () => {
    const url = buildAuthorizeUrl(
      { ...READYCLOUD, extraParams: { state: 'attacker', redirect_uri: 'https://evil.example/', prompt: 'login' } },
      REDIRECT_URI,
      { state: 'ours' },
    );
    expect(paramsOf(url)).toMatchObject({ state: 'ours', redirect_uri: REDIRECT_URI, prompt: 'login' });
  });

  it('requires a challenge when the provider uses PKCE', () => {
    expect(() => buildAuthorizeUrl(SKYVAULT, REDIRECT_URI, { state: 's' })).toThrow(TypeError);
  });
});
