import { describe, expect, it } from 'vitest';
import { caught } from '../../test/support/caught';
import { exportProviderJson, mergeProviders, parseProviderJson } from './provider';
import type { Provider } from './model';
import { ProviderJsonError, validateProvider } from './validate-provider';
import { PRODUCT_EXAMPLE_JSON, SEED_PROVIDERS_JSON } from '../../test/fixtures/seed-providers';

const SKYVAULT: Provider = {
  id: 'skyvault',
  name: 'SkyVault',
  flow: 'code',
  authorizationUrl: 'https://auth.skyvault.example/oauth/authorize',
  tokenUrl: 'https://auth.skyvault.example/oauth/token',
  revocationUrl: 'https://auth.skyvault.example/oauth/revoke',
  clientId: 'my-api-key',
  clientSecret: 'my-api-secret',
  clientAuth: 'body',
  pkce: true,
  scopes: ['public_api'],
  extraParams: {},
  apiBaseUrls: ['https://api.skyvault.example/'],
  header: { name: 'Authorization', prefix: 'Bearer' },
};

const READYCLOUD: Provider = {
  id: 'readycloud',
  name: 'ReadyCloud',
  flow: 'implicit',
  authorizationUrl: 'https://www.readycloud.com/api/oauth2/authorize',
  clientId: 'burgermaker-client',
  clientAuth: 'body',
  pkce: true,
  scopes: ['orders:read'],
  extraParams: {},
  apiBaseUrls: ['https://www.readycloud.com/api/v1/'],
  header: { name: 'Authorization', prefix: 'Bearer' },
};

/** The README's Provider JSON example as an object, to be broken one field at a time. */
function skyvaultJson(): Record<string, unknown> {
  const document = JSON.parse(PRODUCT_EXAMPLE_JSON) as { providers: Record<string, unknown>[] };
  return document.providers[0]!;
}

function parseOne(provider: unknown): Provider[] {
  return parseProviderJson(JSON.stringify({ providers: [provider] }));
}

const errorOf = (run: () => unknown): ProviderJsonError => caught(ProviderJsonError, run);

describe('parseProviderJson: real documents', () => {
  it("reads the README's Provider JSON example verbatim", () => {
    expect(parseProviderJson(PRODUCT_EXAMPLE_JSON)).toEqual([SKYVAULT]);
  });

  it('reads both seed providers and fills the defaults', () => {
    const providers = parseProviderJson(SEED_PROVIDERS_JSON);
    expect(providers).toEqual([READYCLOUD, { ...SKYVAULT, name: 'SkyVault' }]);
    // Absent optional fields stay absent (no `tokenUrl: undefined` keys).
    expect(Object.keys(providers[0]!)).not.toContain('tokenUrl');
    expect(Object.keys(providers[0]!)).not.toContain('clientSecret');
  });

  it('fills every default for a minimal implicit provider', () => {
    const [provider] = parseOne({
      id: 'min',
      name: 'Min',
      flow: 'implicit',
      authorizationUrl: 'https://min.example/authorize',
      clientId: 'c',
      apiBaseUrls: ['https://api.min.example/'],
    });
    expect(provider).toEqual({
      id: 'min',
      name: 'Min',
      flow: 'implicit',
      authorizationUrl: 'https://min.example/authorize',
      clientId: 'c',
      clientAuth: 'body',
      pkce: true,
      scopes: [],
      extraParams: {},
      apiBaseUrls: ['https://api.min.example/'],
      header: { name: 'Authorization', prefix: 'Bearer' },
    });
  });

  it("takes a header field left out from the default's: id_token alone, a prefix alone, or Authorization alone", () => {
    const headerOf = (header: unknown) => parseOne({ ...skyvaultJson(), header })[0]!.header;
    expect(headerOf({ token: 'id_token' })).toEqual({ name: 'Authorization', prefix: 'Bearer', token: 'id_token' });
    expect(headerOf({ prefix: 'Token' })).toEqual({ name: 'Authorization', prefix: 'Token' });
    expect(headerOf({ name: 'authorization' })).toEqual({ name: 'authorization', prefix: 'Bearer' });
    expect(headerOf({ name: 'X-Api-Key', prefix: '' })).toEqual({ name: 'X-Api-Key', prefix: '' });
  });

  it('accepts http on loopback hosts, path-prefix API URLs, a query on the authorization URL', () => {
    const [provider] = parseOne({
      ...skyvaultJson(),
      authorizationUrl: 'http://localhost:8080/oauth/authorize?tenant=dev',
      tokenUrl: 'http://127.0.0.1:8080/oauth/token',
      revocationUrl: 'http://[::1]:8080/oauth/revoke',
      issuer: 'http://localhost:8080',
      apiBaseUrls: ['http://127.0.0.1:9000/api/v1', 'https://api.skyvault.example/'],
      header: { name: 'X-Api-Token', prefix: '' },
      extraParams: { prompt: 'consent', access_type: 'offline' },
      clientAuth: 'basic',
    });
    expect(provider).toMatchObject({
      authorizationUrl: 'http://localhost:8080/oauth/authorize?tenant=dev',
      apiBaseUrls: ['http://127.0.0.1:9000/api/v1', 'https://api.skyvault.example/'],
      header: { name: 'X-Api-Token', prefix: '' },
      extraParams: { prompt: 'consent', access_type: 'offline' },
      issuer: 'http://localhost:8080',
      clientAuth: 'basic',
    });
  });

  it('accepts an empty provider list and a leading byte order mark', () => {
    expect(parseProviderJson('\uFEFF{ "providers": [] }')).toEqual([]);
  });
});

describe('parseProviderJson: redirect mode', () => {
  const readyCloudTab = {
    id: 'readycloud-tab',
    name: 'ReadyCloud (default page)',
    flow: 'implicit',
    redirectMode: 'tab',
    redirectUri: 'https://www.readycloud.com/api/oauth2/token-page',
    authorizationUrl: 'https://www.readycloud.com/api/oauth2/authorize',
    clientId: 'burgermaker-client',
    apiBaseUrls: ['https://www.readycloud.com/api/v1/'],
  };

  it('reads a tab-mode provider with its redirect page', () => {
    const [provider] = parseOne(readyCloudTab);
    expect(provider).toMatchObject({ redirectMode: 'tab', redirectUri: 'https://www.readycloud.com/api/oauth2/token-page' });
  });

  it('accepts a redirect page with a query, and http on localhost or 127.0.0.1', () => {
    for (const redirectUri of ['https://app.example/done?tenant=1', 'http://localhost:8710/oauth/token-page', 'http://127.0.0.1/cb']) {
      expect(parseOne({ ...readyCloudTab, redirectUri })[0]!.redirectUri).toBe(redirectUri);
    }
  });

  it('keeps "identity" when written, and leaves it out when absent (the default)', () => {
    expect(parseOne({ ...skyvaultJson(), redirectMode: 'identity' })[0]!.redirectMode).toBe('identity');
    expect(Object.keys(parseOne(skyvaultJson())[0]!)).not.toContain('redirectMode');
  });

  it('exports redirectMode and redirectUri, and reads the export back unchanged', () => {
    const providers = parseOne(readyCloudTab);
    const text = exportProviderJson(providers, { includeSecrets: false });
    expect((JSON.parse(text) as { providers: unknown[] }).providers[0]).toMatchObject({
      redirectMode: 'tab',
      redirectUri: readyCloudTab.redirectUri,
    });
    expect(parseProviderJson(text)).toEqual(providers);
  });

  it('counts a changed redirect page as a change when merging', () => {
    const [stored] = parseOne(readyCloudTab);
    const [moved] = parseOne({ ...readyCloudTab, redirectUri: 'https://www.readycloud.com/other-page' });
    expect(mergeProviders([stored!], [moved!]).changed).toEqual(['readycloud-tab']);
  });
});

describe('parseProviderJson: tokenParams', () => {
  const audience = { audience: 'https://api.skyvault.example/', resource: 'urn:skyvault:files' };

  it('reads tokenParams, exports it after extraParams, and reads the export back unchanged', () => {
    const providers = parseOne({ ...skyvaultJson(), tokenParams: audience });
    expect(providers[0]!.tokenParams).toEqual(audience);
    const text = exportProviderJson(providers, { includeSecrets: true });
    const keys = Object.keys((JSON.parse(text) as { providers: Record<string, unknown>[] }).providers[0]!);
    expect(keys.slice(keys.indexOf('extraParams'), keys.indexOf('extraParams') + 3)).toEqual(['extraParams', 'tokenParams', 'apiBaseUrls']);
    expect(parseProviderJson(text)).toEqual(providers);
  });

  it('leaves an empty or absent tokenParams out, so re-importing either is no change', () => {
    const [withEmpty] = parseOne({ ...skyvaultJson(), tokenParams: {} });
    expect(Object.keys(withEmpty!)).not.toContain('tokenParams');
    expect(mergeProviders([SKYVAULT], [withEmpty!]).changed).toEqual([]);
  });

  it('counts changed tokenParams as a change when merging', () => {
    const [changed] = parseOne({ ...skyvaultJson(), tokenParams: audience });
    expect(mergeProviders([SKYVAULT], [changed!]).changed).toEqual(['skyvault']);
  });

  it.each(['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'client_id', 'client_secret', 'client_assertion'])(
    'refuses %s, which the token request sets itself',
    (name) => {
      expect(errorOf(() => parseOne({ ...skyvaultJson(), tokenParams: { audience: 'x', [name]: 'y' } })).message).toBe(
        `providers[0].tokenParams.${name} is set by TokenTap and cannot be overridden`,
      );
    },
  );

  it('refuses a non-object, a non-string value and an empty name', () => {
    expect(errorOf(() => parseOne({ ...skyvaultJson(), tokenParams: ['audience'] })).message).toBe(
      'providers[0].tokenParams must be an object of string values',
    );
    expect(errorOf(() => parseOne({ ...skyvaultJson(), tokenParams: { audience: 2 } })).message).toBe(
      'providers[0].tokenParams.audience must be a string',
    );
    expect(errorOf(() => parseOne({ ...skyvaultJson(), tokenParams: { '': 'x' } })).path).toBe('providers[0].tokenParams[""]');
  });
});

describe('parseProviderJson: requireIss', () => {
  const issuer = 'https://auth.skyvault.example';

  it.each([true, false])('reads requireIss %s with an issuer, exports it after issuer, and reads the export back unchanged', (flag) => {
    const providers = parseOne({ ...skyvaultJson(), issuer, requireIss: flag });
    expect(providers[0]!.requireIss).toBe(flag);
    const text = exportProviderJson(providers, { includeSecrets: true });
    const keys = Object.keys((JSON.parse(text) as { providers: Record<string, unknown>[] }).providers[0]!);
    expect(keys.slice(keys.indexOf('issuer'), keys.indexOf('issuer') + 2)).toEqual(['issuer', 'requireIss']);
    expect(parseProviderJson(text)).toEqual(providers);
  });

  it('is left out when absent (an answer without iss is then refused)', () => {
    expect(Object.keys(parseOne({ ...skyvaultJson(), issuer })[0]!)).not.toContain('requireIss');
  });

  it('counts a changed requireIss as a change when merging', () => {
    const [strict] = parseOne({ ...skyvaultJson(), issuer });
    const [lenient] = parseOne({ ...skyvaultJson(), issuer, requireIss: false });
    expect(mergeProviders([strict!], [lenient!]).changed).toEqual(['skyvault']);
  });

  it('refuses a non-boolean, and requireIss without an issuer', () => {
    expect(errorOf(() => parseOne({ ...skyvaultJson(), issuer, requireIss: 'false' })).message).toBe(
      'providers[0].requireIss must be true or false',
    );
    expect(errorOf(() => parseOne({ ...skyvaultJson(), requireIss: false })).message).toBe(
      'providers[0].requireIss is only used with "issuer" (add the issuer, or leave requireIss out)',
    );
  });
});

describe('parseProviderJson: the document', () => {
  it.each([
    ['', 'Not valid JSON: the text is empty'],
    ['   \n', 'Not valid JSON: the text is empty'],
    ['[]', 'The JSON must be an object like { "providers": [ … ] }'],
    ['"skyvault"', 'The JSON must be an object like { "providers": [ … ] }'],
    ['{}', 'providers is required'],
    ['{ "providers": {} }', 'providers must be an array'],
    ['{ "providers": [], "version": 2 }', '"version" is not a known field (the JSON must look like { "providers": [ … ] })'],
    ['{ "providers": [ 1 ] }', 'providers[0] must be an object'],
  ])('%j → %s', (text, message) => {
    expect(errorOf(() => parseProviderJson(text)).message).toBe(message);
  });

  it('reports invalid JSON by position without quoting the text (it may hold a secret)', () => {
    const text = '{\n  "providers": [\n    { "clientSecret": "s3cr3t-value" oops }\n  ]\n}';
    const error = errorOf(() => parseProviderJson(text));
    expect(error.message).toBe('Not valid JSON: syntax error at line 3, column 38');
    expect(error.path).toBe('');
  });

  it('reports a truncated document', () => {
    expect(errorOf(() => parseProviderJson('{ "providers": [')).message).toBe(
      'Not valid JSON: the text ends too early (a closing bracket or quote is missing)',
    );
  });

  it('rejects an id used twice in one file, naming the second', () => {
    const error = errorOf(() => parseProviderJson(JSON.stringify({ providers: [skyvaultJson(), skyvaultJson()] })));
    expect(error.message).toBe('providers[1].id "skyvault" is already used by providers[0]');
    expect(error.path).toBe('providers[1].id');
  });
});

describe('parseProviderJson: each bad field is named with its path', () => {
  const https = 'must be an https URL (or http on localhost / 127.0.0.1)';
  const cases: [string, Record<string, unknown>, string][] = [
    ['unknown key (checked first)', { tokenURL: 'https://x.example/t' }, 'providers[0].tokenURL is not a known field'],
    ['odd unknown key', { 'client secret': 'x' }, 'providers[0]["client secret"] is not a known field'],
    ['id missing', { id: undefined }, 'providers[0].id is required'],
    ['id not a string', { id: 7 }, 'providers[0].id must be a string'],
    ['id uppercase', { id: 'SkyVault' }, 'providers[0].id must be 1-64 lowercase letters, digits or "-", starting with a letter or digit'],
    ['id leading dash', { id: '-sky' }, 'providers[0].id must be 1-64 lowercase letters, digits or "-", starting with a letter or digit'],
    ['id too long', { id: 'a'.repeat(65) }, 'providers[0].id must be 1-64 lowercase letters, digits or "-", starting with a letter or digit'],
    ['name missing', { name: undefined }, 'providers[0].name is required'],
    ['name blank', { name: '   ' }, 'providers[0].name must not be empty'],
    ['name too long', { name: 'x'.repeat(81) }, 'providers[0].name must be at most 80 characters'],
    ['name control chars', { name: 'Sky\nVault' }, 'providers[0].name must not contain control characters'],
    ['flow unknown', { flow: 'password' }, 'providers[0].flow must be "implicit", "code", "client_credentials" or "device"'],
    ['authorizationUrl missing', { authorizationUrl: undefined }, 'providers[0].authorizationUrl is required'],
    ['authorizationUrl http', { authorizationUrl: 'http://auth.skyvault.example/oauth/authorize' }, `providers[0].authorizationUrl ${https}`],
    ['authorizationUrl ftp', { authorizationUrl: 'ftp://auth.skyvault.example/' }, `providers[0].authorizationUrl ${https}`],
    [
      'authorizationUrl relative',
      { authorizationUrl: '/oauth/authorize' },
      'providers[0].authorizationUrl must be an absolute URL, like "https://example.com/path"',
    ],
    [
      'authorizationUrl fragment',
      { authorizationUrl: 'https://auth.skyvault.example/oauth/authorize#x' },
      'providers[0].authorizationUrl must not have a fragment (#…)',
    ],
    [
      'authorizationUrl empty fragment',
      { authorizationUrl: 'https://auth.skyvault.example/#' },
      'providers[0].authorizationUrl must not have a fragment (#…)',
    ],
    [
      'authorizationUrl credentials',
      { authorizationUrl: 'https://me:pw@auth.skyvault.example/' },
      'providers[0].authorizationUrl must not contain a user name or password',
    ],
    [
      'authorizationUrl spaces',
      { authorizationUrl: ' https://auth.skyvault.example/' },
      'providers[0].authorizationUrl must not start or end with spaces',
    ],
    ['tokenUrl missing for code', { tokenUrl: undefined }, 'providers[0].tokenUrl is required when flow is "code"'],
    ['tokenUrl null', { tokenUrl: null }, 'providers[0].tokenUrl must be a string'],
    ['tokenUrl on a lookalike host', { tokenUrl: 'http://localhost.evil.example/token' }, `providers[0].tokenUrl ${https}`],
    ['revocationUrl http', { revocationUrl: 'http://auth.skyvault.example/oauth/revoke' }, `providers[0].revocationUrl ${https}`],
    ['issuer with query', { issuer: 'https://auth.skyvault.example/?tenant=1' }, 'providers[0].issuer must not have a query (?…)'],
    ['clientId missing', { clientId: undefined }, 'providers[0].clientId is required'],
    ['clientId empty', { clientId: '' }, 'providers[0].clientId must not be empty'],
    ['clientId padded', { clientId: 'my-api-key ' }, 'providers[0].clientId must not start or end with spaces'],
    ['clientId non-ASCII', { clientId: 'clé' }, 'providers[0].clientId may only contain printable ASCII characters (RFC 6749 A.1)'],
    ['clientSecret empty', { clientSecret: '' }, 'providers[0].clientSecret must not be empty (leave it out for a public client)'],
    ['clientSecret number', { clientSecret: 42 }, 'providers[0].clientSecret must be a string'],
    ['clientAuth unknown', { clientAuth: 'post' }, 'providers[0].clientAuth must be "body" or "basic"'],
    [
      'clientAuth basic without secret',
      { clientAuth: 'basic', clientSecret: undefined },
      'providers[0].clientAuth "basic" needs a clientSecret',
    ],
    ['pkce not boolean', { pkce: 'yes' }, 'providers[0].pkce must be true or false'],
    ['scopes not an array', { scopes: 'public_api' }, 'providers[0].scopes must be an array of strings'],
    [
      'scope with a space',
      { scopes: ['public_api', 'orders read'] },
      'providers[0].scopes[1] must not contain spaces (list each scope separately)',
    ],
    ['scope empty', { scopes: [''] }, 'providers[0].scopes[0] must not be empty'],
    ['scope not a string', { scopes: [3] }, 'providers[0].scopes[0] must be a string'],
    ['scope with a quote', { scopes: ['a"b'] }, 'providers[0].scopes[0] may only contain printable ASCII without " or \\ (RFC 6749 3.3)'],
    ['extraParams array', { extraParams: [] }, 'providers[0].extraParams must be an object of string values'],
    ['extraParams non-string', { extraParams: { prompt: 1 } }, 'providers[0].extraParams.prompt must be a string'],
    [
      'extraParams overrides state',
      { extraParams: { state: 'fixed' } },
      'providers[0].extraParams.state is set by TokenTap and cannot be overridden',
    ],
    [
      'extraParams overrides redirect_uri',
      { extraParams: { prompt: 'consent', redirect_uri: 'https://evil.example/' } },
      'providers[0].extraParams.redirect_uri is set by TokenTap and cannot be overridden',
    ],
    [
      'extraParams overrides code_challenge_method',
      { extraParams: { code_challenge_method: 'plain' } },
      'providers[0].extraParams.code_challenge_method is set by TokenTap and cannot be overridden',
    ],
    ['apiBaseUrls missing', { apiBaseUrls: undefined }, 'providers[0].apiBaseUrls is required'],
    ['apiBaseUrls empty', { apiBaseUrls: [] }, 'providers[0].apiBaseUrls must list at least one URL'],
    ['apiBaseUrls a string', { apiBaseUrls: 'https://api.skyvault.example/' }, 'providers[0].apiBaseUrls must be an array of URLs'],
    [
      'apiBaseUrls http',
      { apiBaseUrls: ['https://api.skyvault.example/', 'http://api.skyvault.example/'] },
      `providers[0].apiBaseUrls[1] ${https}`,
    ],
    ['apiBaseUrls query', { apiBaseUrls: ['https://api.skyvault.example/?key=1'] }, 'providers[0].apiBaseUrls[0] must not have a query (?…)'],
    [
      'apiBaseUrls fragment',
      { apiBaseUrls: ['https://api.skyvault.example/#top'] },
      'providers[0].apiBaseUrls[0] must not have a fragment (#…)',
    ],
    [
      'apiBaseUrls wildcard',
      { apiBaseUrls: ['https://api.skyvault.example/*'] },
      'providers[0].apiBaseUrls[0] must not contain "*" (list each API base URL)',
    ],
    [
      'apiBaseUrls host wildcard',
      { apiBaseUrls: ['https://*.skyvault.example/'] },
      'providers[0].apiBaseUrls[0] must not contain "*" (list each API base URL)',
    ],
    [
      'apiBaseUrls caret',
      { apiBaseUrls: ['https://api.skyvault.example/v^1/'] },
      'providers[0].apiBaseUrls[0] must not contain "^" (network rules cannot match it)',
    ],
    [
      'apiBaseUrls pipe',
      { apiBaseUrls: ['https://api.skyvault.example/', 'https://api.skyvault.example/a|b/'] },
      'providers[0].apiBaseUrls[1] must not contain "|" (network rules cannot match it)',
    ],
    ['redirectMode unknown', { redirectMode: 'popup' }, 'providers[0].redirectMode must be "identity" or "tab"'],
    ['redirectMode null', { redirectMode: null }, 'providers[0].redirectMode must be "identity" or "tab"'],
    ['redirectUri missing for tab', { redirectMode: 'tab' }, 'providers[0].redirectUri is required when redirectMode is "tab"'],
    [
      'redirectUri without tab mode',
      { redirectUri: 'https://auth.skyvault.example/done' },
      'providers[0].redirectUri is only used when redirectMode is "tab" (add "redirectMode": "tab")',
    ],
    [
      'redirectUri with identity mode',
      { redirectMode: 'identity', redirectUri: 'https://auth.skyvault.example/done' },
      'providers[0].redirectUri is only used when redirectMode is "tab" (add "redirectMode": "tab")',
    ],
    ['redirectUri not a string', { redirectMode: 'tab', redirectUri: 42 }, 'providers[0].redirectUri must be a string'],
    [
      'redirectUri relative',
      { redirectMode: 'tab', redirectUri: '/oauth/token-page' },
      'providers[0].redirectUri must be an absolute URL, like "https://example.com/path"',
    ],
    ['redirectUri http', { redirectMode: 'tab', redirectUri: 'http://auth.skyvault.example/done' }, `providers[0].redirectUri ${https}`],
    ['redirectUri http on [::1]', { redirectMode: 'tab', redirectUri: 'http://[::1]:8080/done' }, `providers[0].redirectUri ${https}`],
    ['redirectUri custom scheme', { redirectMode: 'tab', redirectUri: 'com.example.app:/done' }, `providers[0].redirectUri ${https}`],
    [
      'redirectUri fragment',
      { redirectMode: 'tab', redirectUri: 'https://auth.skyvault.example/done#token' },
      'providers[0].redirectUri must not have a fragment (#…)',
    ],
    [
      'redirectUri wildcard',
      { redirectMode: 'tab', redirectUri: 'https://auth.skyvault.example/done/*' },
      'providers[0].redirectUri must not contain "*"',
    ],
    [
      'redirectUri credentials',
      { redirectMode: 'tab', redirectUri: 'https://me:pw@auth.skyvault.example/done' },
      'providers[0].redirectUri must not contain a user name or password',
    ],
    [
      'header not an object',
      { header: 'Authorization' },
      'providers[0].header must be an object like { "name": "Authorization", "prefix": "Bearer" }',
    ],
    [
      'header name with a space',
      { header: { name: 'X Token', prefix: 'Bearer' } },
      'providers[0].header.name must be a valid HTTP header name (letters, digits, "-", no spaces)',
    ],
    [
      'header prefix missing with another header',
      { header: { name: 'X-Api-Key' } },
      'providers[0].header.prefix is required with a header other than Authorization (use "" for none)',
    ],
    [
      'header prefix line break',
      { header: { name: 'Authorization', prefix: 'Bearer\r\nX-Evil: 1' } },
      'providers[0].header.prefix must not contain control characters or line breaks',
    ],
    [
      'header unknown key',
      { header: { name: 'Authorization', prefix: 'Bearer', value: 'x' } },
      'providers[0].header.value is not a known field',
    ],
  ];

  it.each(cases)('%s', (_label, change, message) => {
    const provider = { ...skyvaultJson(), ...change };
    const error = errorOf(() => parseOne(provider));
    expect(error).toBeInstanceOf(ProviderJsonError);
    expect(error.message).toBe(message);
    expect(message.startsWith(`${error.path} `)).toBe(true);
  });

  it('names the first bad field in document order', () => {
    const error = errorOf(() => parseOne({ ...skyvaultJson(), name: '', tokenUrl: undefined, apiBaseUrls: [] }));
    expect(error.path).toBe('providers[0].name');
  });

  it('names fields of the second provider with its index', () => {
    const implicitWithoutTokenUrl = { ...skyvaultJson(), id: 'other', tokenUrl: undefined };
    const error = errorOf(() => parseProviderJson(JSON.stringify({ providers: [skyvaultJson(), implicitWithoutTokenUrl] })));
    expect(error.message).toBe('providers[1].tokenUrl is required when flow is "code"');
  });
});

describe('validateProvider (the options form uses the same rules)', () => {
  it('names bare fields without a path prefix', () => {
    const error = errorOf(() => validateProvider({ ...skyvaultJson(), tokenUrl: undefined }));
    expect(error.message).toBe('tokenUrl is required when flow is "code"');
    expect(error.path).toBe('tokenUrl');
  });

  it('returns the same provider as the import', () => {
    expect(validateProvider(skyvaultJson())).toEqual(SKYVAULT);
  });
});

describe('exportProviderJson', () => {
  it('round-trips through parseProviderJson with secrets', () => {
    const providers = parseProviderJson(SEED_PROVIDERS_JSON);
    const text = exportProviderJson(providers, { includeSecrets: true });
    expect(parseProviderJson(text)).toEqual(providers);
    expect(text).toContain('\n  "providers": [\n');
  });

  it("writes the README's Provider JSON format with every field, in its order", () => {
    const text = exportProviderJson([SKYVAULT], { includeSecrets: true });
    expect(JSON.parse(text)).toEqual(JSON.parse(PRODUCT_EXAMPLE_JSON));
    expect(Object.keys((JSON.parse(text) as { providers: object[] }).providers[0]!)).toEqual(Object.keys(skyvaultJson()));
  });

  it('writes header.token only when it is "id_token", so exports from before it compare equal', () => {
    const idTokenProvider = { ...SKYVAULT, header: { ...SKYVAULT.header, token: 'id_token' as const } };
    const text = exportProviderJson([idTokenProvider, READYCLOUD], { includeSecrets: true });
    const [first, second] = (JSON.parse(text) as { providers: { header: object }[] }).providers;
    expect(first!.header).toEqual({ name: 'Authorization', prefix: 'Bearer', token: 'id_token' });
    expect(second!.header).toEqual({ name: 'Authorization', prefix: 'Bearer' });
    expect(parseProviderJson(text)).toEqual([idTokenProvider, READYCLOUD]);
  });

  it('leaves secrets out unless asked', () => {
    const text = exportProviderJson([SKYVAULT, READYCLOUD], { includeSecrets: false });
    expect(text).not.toContain('my-api-secret');
    expect(text).not.toContain('clientSecret');
    expect(parseProviderJson(text)).toEqual([withoutSecret(SKYVAULT), READYCLOUD]);
  });
});

describe('mergeProviders', () => {
  it('appends new ids, replaces changed ones in place, ignores identical ones', () => {
    const stored = [READYCLOUD, SKYVAULT];
    const imported = [
      { ...SKYVAULT, scopes: ['public_api', 'admin'] },
      READYCLOUD,
      { ...READYCLOUD, id: 'readycloud-full', scopes: ['orders'] },
    ];
    const result = mergeProviders(stored, imported);
    expect(result.providers.map((provider) => provider.id)).toEqual(['readycloud', 'skyvault', 'readycloud-full']);
    expect(result.providers[1]!.scopes).toEqual(['public_api', 'admin']);
    expect(result.added).toEqual(['readycloud-full']);
    expect(result.changed).toEqual(['skyvault']);
  });

  it('treats a stored provider with another key order as unchanged', () => {
    const reordered = Object.fromEntries(Object.entries(SKYVAULT).reverse()) as unknown as Provider;
    expect(mergeProviders([reordered], [SKYVAULT])).toEqual({ providers: [reordered], added: [], changed: [], secretDropped: [] });
  });

  it('keeps the stored secret when the imported file has none and the client id is the same', () => {
    const exported = parseProviderJson(exportProviderJson([SKYVAULT], { includeSecrets: false }));
    const result = mergeProviders([SKYVAULT], exported);
    expect(result.providers[0]!.clientSecret).toBe('my-api-secret');
    expect(result.changed).toEqual([]);
  });

  it('drops the stored secret when the client id changed', () => {
    const imported = withoutSecret({ ...SKYVAULT, clientId: 'new-key' });
    const result = mergeProviders([SKYVAULT], [imported]);
    expect(result.providers[0]!.clientSecret).toBeUndefined();
    expect(result.changed).toEqual(['skyvault']);
    expect(result.secretDropped).toEqual(['skyvault']);
  });

  it.each([
    ['the token endpoint', { tokenUrl: 'https://evil.example/oauth/token' }],
    ['the revocation endpoint', { revocationUrl: 'https://evil.example/oauth/revoke' }],
  ])('drops the stored secret when %s moves to another origin, though the client id is the same', (_, moved) => {
    const imported = withoutSecret({ ...SKYVAULT, ...moved });
    const result = mergeProviders([SKYVAULT], [imported]);
    expect(result.providers[0]!.clientSecret).toBeUndefined();
    expect(result.secretDropped).toEqual(['skyvault']);
  });

  it('keeps the stored secret when the token endpoint only changes its path, or the API moves', () => {
    const imported = withoutSecret({
      ...SKYVAULT,
      tokenUrl: 'https://auth.skyvault.example/v2/token',
      apiBaseUrls: ['https://api2.skyvault.example/'],
    });
    const result = mergeProviders([SKYVAULT], [imported]);
    expect(result.providers[0]!.clientSecret).toBe('my-api-secret');
    expect(result.secretDropped).toEqual([]);
  });

  it("uses the document's own secret when it brings one, whatever moved", () => {
    const imported = { ...SKYVAULT, tokenUrl: 'https://evil.example/oauth/token', clientSecret: 'typed-again' };
    const result = mergeProviders([SKYVAULT], [imported]);
    expect(result.providers[0]!.clientSecret).toBe('typed-again');
    expect(result.secretDropped).toEqual([]);
  });

  it('does not modify its inputs', () => {
    const stored = [SKYVAULT];
    const imported = [READYCLOUD];
    const before = JSON.stringify([stored, imported]);
    mergeProviders(stored, imported);
    expect(JSON.stringify([stored, imported])).toBe(before);
  });
});

/** The provider as an export without secrets reads back: no `clientSecret` key at all. */
function withoutSecret({ clientSecret: _, ...provider }: Provider): Provider {
  return provider;
}

describe('refreshTokenTtl', () => {
  const base = {
    id: 'skyvault',
    name: 'SkyVault',
    flow: 'code',
    authorizationUrl: 'https://auth.skyvault.example/oauth/authorize',
    tokenUrl: 'https://auth.skyvault.example/oauth/token',
    clientId: 'my-api-key',
    apiBaseUrls: ['https://api.skyvault.example/'],
  };
  it('is kept, and exported, when it is a positive whole number of seconds', () => {
    const [provider] = parseProviderJson(JSON.stringify({ providers: [{ ...base, refreshTokenTtl: 604800 }] }));
    expect(provider!.refreshTokenTtl).toBe(604800);
    expect(exportProviderJson([provider!], { includeSecrets: false })).toContain('"refreshTokenTtl": 604800');
  });
  it.each([0, -1, 1.5, '604800', null])('refuses %j, naming the field', (ttl) => {
    expect(() => parseProviderJson(JSON.stringify({ providers: [{ ...base, refreshTokenTtl: ttl }] }))).toThrow(
      /^providers\[0\]\.refreshTokenTtl must be a positive whole number of seconds/,
    );
  });
});
