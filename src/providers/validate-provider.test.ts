import { describe, expect, it } from 'vitest';
import { caught } from '../../test/support/caught';
import { exportProviderJson, parseProviderJson } from './provider';
import { MAX_API_BASE_URLS, ProviderJsonError, validateProvider } from './validate-provider';
import { PRODUCT_EXAMPLE_JSON } from '../../test/fixtures/seed-providers';

/** The README's SkyVault example (Provider JSON) as an object, to be changed one field at a time. */
function skyvaultJson(): Record<string, unknown> {
  return (JSON.parse(PRODUCT_EXAMPLE_JSON) as { providers: Record<string, unknown>[] }).providers[0]!;
}

const errorOf = (run: () => unknown): ProviderJsonError => caught(ProviderJsonError, run);

const baseUrls = (count: number) => Array.from({ length: count }, (_, i) => `https://api.skyvault.example/v${i}/`);

describe('validateProvider: what a provider may have its token attached to', () => {
  it(`accepts up to ${MAX_API_BASE_URLS} API base URLs`, () => {
    expect(validateProvider({ ...skyvaultJson(), apiBaseUrls: baseUrls(20) }).apiBaseUrls).toHaveLength(20);
  });

  it('refuses 21 API base URLs, saying how many and what to do', () => {
    const error = errorOf(() => validateProvider({ ...skyvaultJson(), apiBaseUrls: baseUrls(21) }, 'providers[0]'));
    expect(error.path).toBe('providers[0].apiBaseUrls');
    expect(error.message).toBe(
      "providers[0].apiBaseUrls must list at most 20 URLs (it lists 21); use a shorter common prefix, such as the API's root",
    );
  });

  it.each(['Cookie', 'host', 'Origin', 'Referer', 'Content-Type', 'Proxy-Authorization', 'Sec-Fetch-Mode', 'X-HTTP-Method-Override'])(
    'refuses header name %s, naming the field',
    (name) => {
      const error = errorOf(() => validateProvider({ ...skyvaultJson(), header: { name, prefix: '' } }, 'providers[0]'));
      expect(error.path).toBe('providers[0].header.name');
      expect(error.message).toBe(
        `providers[0].header.name must not be ${JSON.stringify(name)}: the browser or the request sets that header itself; use the header the API reads the token from, such as "Authorization"`,
      );
    },
  );

  it('keeps accepting custom token headers', () => {
    expect(validateProvider({ ...skyvaultJson(), header: { name: 'X-Api-Key', prefix: '' } }).header).toEqual({
      name: 'X-Api-Key',
      prefix: '',
    });
  });
});

describe('validateProvider: flow "client_credentials" (RFC 6749 4.4)', () => {
  /** A machine client: the token URL, its secret, scopes and the API; nothing of a sign-in. */
  const machineJson = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 'reports',
    name: 'Reports',
    flow: 'client_credentials',
    tokenUrl: 'https://auth.reports.example/oauth/token',
    revocationUrl: 'https://auth.reports.example/oauth/revoke',
    clientId: 'reports-robot',
    clientSecret: 'robot-secret',
    scopes: ['reports:read'],
    apiBaseUrls: ['https://api.reports.example/'],
    ...changes,
  });

  it('accepts a token URL and a secret, with no authorization URL, and turns PKCE off', () => {
    const provider = validateProvider(machineJson());
    expect(provider).toMatchObject({ flow: 'client_credentials', tokenUrl: 'https://auth.reports.example/oauth/token', pkce: false });
    expect(provider).not.toHaveProperty('authorizationUrl');
  });

  it('exports without sign-in fields and reads the export back unchanged', () => {
    const [provider] = parseProviderJson(JSON.stringify({ providers: [machineJson({ tokenParams: { audience: 'reports' } })] }));
    const exported = exportProviderJson([provider!], { includeSecrets: true });
    const entry = (JSON.parse(exported) as { providers: Record<string, unknown>[] }).providers[0]!;
    expect(entry).not.toHaveProperty('authorizationUrl');
    expect(entry).not.toHaveProperty('pkce');
    expect(entry).not.toHaveProperty('extraParams');
    expect(parseProviderJson(exported)).toEqual([provider]);
  });

  it.each([
    ['tokenUrl', { tokenUrl: undefined }, 'providers[0].tokenUrl is required when flow is "client_credentials"'],
    ['clientSecret', { clientSecret: undefined }, 'providers[0].clientSecret is required when flow is "client_credentials"'],
    [
      'authorizationUrl',
      { authorizationUrl: 'https://auth.reports.example/oauth/authorize' },
      'providers[0].authorizationUrl is not used when flow is "client_credentials" (no one signs in): leave it out',
    ],
    [
      'requireIss',
      { issuer: 'https://auth.reports.example', requireIss: false },
      'providers[0].requireIss is not used when flow is "client_credentials" (no one signs in): leave it out',
    ],
    ['pkce', { pkce: true }, 'providers[0].pkce is not used when flow is "client_credentials" (no one signs in): leave it out'],
    [
      'extraParams',
      { extraParams: {} },
      'providers[0].extraParams is not used when flow is "client_credentials" (no one signs in): leave it out',
    ],
    [
      'redirectMode',
      { redirectMode: 'identity' },
      'providers[0].redirectMode is not used when flow is "client_credentials" (no one signs in): leave it out',
    ],
    [
      'redirectUri',
      { redirectUri: 'https://app.example/callback' },
      'providers[0].redirectUri is not used when flow is "client_credentials" (no one signs in): leave it out',
    ],
    [
      'tokenParams.scope',
      { tokenParams: { scope: 'reports:write' } },
      'providers[0].tokenParams.scope is sent from "scopes" when flow is "client_credentials": list the scopes there',
    ],
  ])('refuses a provider without %s, or with it where no one signs in, naming it', (key, changes, message) => {
    const error = errorOf(() => validateProvider(machineJson(changes), 'providers[0]'));
    expect(error.path).toBe(`providers[0].${key}`);
    expect(error.message).toBe(message);
  });

  it('names a missing token URL as absent from the metadata when it has an issuer', () => {
    const error = errorOf(() => validateProvider(machineJson({ tokenUrl: undefined, issuer: 'https://auth.reports.example' })));
    expect(error.message).toBe(`tokenUrl is required when flow is "client_credentials", and the issuer's metadata names none`);
  });
});

describe('validateProvider: flow "device" (RFC 8628)', () => {
  const DEVICE = {
    id: 'tv',
    name: 'TV',
    flow: 'device',
    deviceAuthorizationUrl: 'https://auth.example.com/oauth/device',
    tokenUrl: 'https://auth.example.com/oauth/token',
    clientId: 'tv-app',
    apiBaseUrls: ['https://api.example.com/'],
  };

  it('accepts a public client with the two endpoints and no authorization URL, PKCE off', () => {
    const provider = validateProvider(DEVICE);
    expect(provider).toMatchObject({ flow: 'device', deviceAuthorizationUrl: DEVICE.deviceAuthorizationUrl, pkce: false });
    expect(provider).not.toHaveProperty('authorizationUrl');
    expect(provider).not.toHaveProperty('clientSecret');
  });

  it('exports the device authorization URL after the revocation URL and reads the export back unchanged', () => {
    const [provider] = parseProviderJson(JSON.stringify({ providers: [DEVICE] }));
    const exported = exportProviderJson([provider!], { includeSecrets: true });
    expect(parseProviderJson(exported)).toEqual([provider]);
    expect(Object.keys((JSON.parse(exported) as { providers: object[] }).providers[0]!).slice(0, 5)).toEqual([
      'id',
      'name',
      'flow',
      'tokenUrl',
      'deviceAuthorizationUrl',
    ]);
  });

  it.each([
    [{ deviceAuthorizationUrl: undefined }, 'deviceAuthorizationUrl is required when flow is "device"'],
    [{ tokenUrl: undefined }, 'tokenUrl is required when flow is "device"'],
    [{ deviceAuthorizationUrl: 'http://auth.example.com/device' }, 'deviceAuthorizationUrl must be an https URL'],
    [{ authorizationUrl: 'https://auth.example.com/authorize' }, 'authorizationUrl is not used when flow is "device"'],
    [{ redirectMode: 'tab' }, 'redirectMode is not used when flow is "device"'],
  ])('refuses %j, naming the field', (change, message) => {
    expect(errorOf(() => validateProvider({ ...DEVICE, ...change })).message).toContain(message);
  });

  it('refuses a device authorization URL on another flow', () => {
    const error = errorOf(() => validateProvider({ ...skyvaultJson(), deviceAuthorizationUrl: DEVICE.deviceAuthorizationUrl }));
    expect(error.message).toBe('deviceAuthorizationUrl is only used when flow is "device"');
  });
});

describe('validateProvider: userinfoUrl', () => {
  const USERINFO = 'https://auth.skyvault.example/userinfo';

  it('keeps it for a flow with a user, exports it after the device authorization URL and reads the export back unchanged', () => {
    expect(validateProvider({ ...skyvaultJson(), userinfoUrl: USERINFO })).toMatchObject({ userinfoUrl: USERINFO });
    expect(validateProvider(skyvaultJson())).not.toHaveProperty('userinfoUrl');
    const [provider] = parseProviderJson(JSON.stringify({ providers: [{ ...skyvaultJson(), userinfoUrl: USERINFO }] }));
    const exported = exportProviderJson([provider!], { includeSecrets: true });
    expect(parseProviderJson(exported)).toEqual([provider]);
    const keys = Object.keys((JSON.parse(exported) as { providers: object[] }).providers[0]!);
    expect(keys.indexOf('userinfoUrl')).toBe(keys.indexOf('revocationUrl') + 1);
  });

  it.each([
    ['http://auth.skyvault.example/userinfo', 'userinfoUrl must be an https URL (or http on localhost / 127.0.0.1)'],
    ['https://auth.skyvault.example/userinfo?x=1', 'userinfoUrl must not have a query (?…)'],
    ['https://auth.skyvault.example/userinfo#me', 'userinfoUrl must not have a fragment (#…)'],
    ['/userinfo', 'userinfoUrl must be an absolute URL, like "https://example.com/path"'],
    [42, 'userinfoUrl must be a string'],
  ])("refuses %j with the endpoints' rules", (userinfoUrl, message) => {
    expect(errorOf(() => validateProvider({ ...skyvaultJson(), userinfoUrl })).message).toBe(message);
  });

  it('refuses it for client credentials, where no one signs in', () => {
    const { authorizationUrl: _a, pkce: _p, extraParams: _e, ...signInless } = skyvaultJson();
    const machine = { ...signInless, flow: 'client_credentials', clientSecret: 's3cret', userinfoUrl: USERINFO };
    expect(errorOf(() => validateProvider(machine)).message).toBe(
      'userinfoUrl is not used when flow is "client_credentials" (no one signs in): leave it out',
    );
  });
});

describe('validateProvider: header.token', () => {
  const headerOf = (token: unknown) =>
    validateProvider({ ...skyvaultJson(), header: { name: 'Authorization', prefix: 'Bearer', token } }, 'providers[0]').header;

  it('takes "id_token", and stores "access_token" (the default) as no token at all', () => {
    expect(headerOf('id_token')).toEqual({ name: 'Authorization', prefix: 'Bearer', token: 'id_token' });
    expect(headerOf('access_token')).toEqual({ name: 'Authorization', prefix: 'Bearer' });
    expect(headerOf(undefined)).toEqual({ name: 'Authorization', prefix: 'Bearer' });
  });

  it.each(['refresh_token', 'ID_TOKEN', '', 1, null])('refuses %j, naming the field and the two it may be', (token) => {
    const error = errorOf(() => headerOf(token));
    expect(error.path).toBe('providers[0].header.token');
    expect(error.message).toBe('providers[0].header.token must be "access_token" (the default) or "id_token" (the OpenID Connect ID Token)');
  });
});
