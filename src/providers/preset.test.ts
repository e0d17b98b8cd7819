import { describe, expect, it } from 'vitest';
import { PresetError, presetProviderId, providerFromPreset, type Preset, type PresetEntry } from './preset';
import { PRESETS } from './presets';
import { validateProvider } from './validate-provider';

/** A preset with every input kind, its placeholders in nested strings, arrays and objects. */
const ACME: Preset = {
  id: 'acme',
  name: 'Acme ID',
  docs: 'https://docs.acme.example/oauth',
  inputs: [
    { key: 'domain', label: 'Acme domain', kind: 'host', example: 'dev-123.acme.example' },
    { key: 'tenant', label: 'Tenant', kind: 'segment', example: 'common', default: 'common' },
    { key: 'api', label: 'API base URL', kind: 'url', example: 'https://api.example.com' },
    { key: 'issuer', label: 'Issuer URL', kind: 'issuer', example: 'https://id.example.com/' },
  ],
  clientSecret: 'optional',
  quirks: ['Acme wants the tenant in every URL.'],
  provider: {
    flow: 'code',
    issuer: '{issuer}',
    authorizationUrl: 'https://{domain}/{tenant}/authorize',
    tokenUrl: 'https://{domain}/{tenant}/token',
    scopes: ['openid', 'offline_access'],
    extraParams: { audience: '{api}/', prompt: 'consent' },
    apiBaseUrls: ['{api}/', 'https://{domain}/{tenant}/me/'],
    pkce: true,
  },
};
const ENTRY: PresetEntry = {
  values: { domain: 'dev-42.acme.example', tenant: 'dev', api: 'https://api.acme.example/v2', issuer: 'https://dev-42.acme.example/' },
  clientId: 'my-app',
  clientSecret: 's3cret',
};
const withValues = (values: Record<string, string>): PresetEntry => ({ ...ENTRY, values: { ...ENTRY.values, ...values } });
const refusal = (preset: Preset, entry: PresetEntry): string => {
  try {
    providerFromPreset(preset, entry, preset.id);
  } catch (error) {
    expect(error).toBeInstanceOf(PresetError);
    return (error as Error).message;
  }
  throw new Error('providerFromPreset accepted it');
};

describe('providerFromPreset', () => {
  it('fills every placeholder, in strings nested in arrays and objects, into a provider that validates', () => {
    const provider = providerFromPreset(ACME, ENTRY, 'acme-2');
    expect(provider).toEqual({
      id: 'acme-2',
      name: 'Acme ID (acme-2)',
      flow: 'code',
      issuer: 'https://dev-42.acme.example/',
      authorizationUrl: 'https://dev-42.acme.example/dev/authorize',
      tokenUrl: 'https://dev-42.acme.example/dev/token',
      scopes: ['openid', 'offline_access'],
      extraParams: { audience: 'https://api.acme.example/v2/', prompt: 'consent' },
      apiBaseUrls: ['https://api.acme.example/v2/', 'https://dev-42.acme.example/dev/me/'],
      pkce: true,
      clientId: 'my-app',
      clientSecret: 's3cret',
    });
    expect(validateProvider(provider).apiBaseUrls).toEqual(['https://api.acme.example/v2/', 'https://dev-42.acme.example/dev/me/']);
  });

  it('trims what was entered, takes the default for an empty field, and leaves the preset itself untouched', () => {
    const before = JSON.stringify(ACME);
    const provider = providerFromPreset(
      ACME,
      {
        values: { domain: '  Dev-42.Acme.example ', tenant: '  ', api: ' http://localhost:8080/api/ ', issuer: ' https://id.example ' },
        clientId: ' my-app\n',
      },
      'acme',
    );
    expect(provider).toMatchObject({
      authorizationUrl: 'https://dev-42.acme.example/common/authorize',
      apiBaseUrls: ['http://localhost:8080/api/', 'https://dev-42.acme.example/common/me/'],
      // An issuer goes in exactly as entered (issuers compare character for character).
      issuer: 'https://id.example',
      clientId: 'my-app',
    });
    // Optional and left empty: a public client.
    expect(provider).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(ACME)).toBe(before);
  });

  it('fills the Keycloak preset from a base URL and a realm', () => {
    const keycloak = PRESETS.find((preset) => preset.id === 'keycloak')!;
    const values = { base: 'https://sso.example.com/', realm: 'dev', api: 'https://api.example.com' };
    const provider = providerFromPreset(keycloak, { values, clientId: 'tokentap' }, 'keycloak');
    expect(provider).toMatchObject({
      id: 'keycloak',
      name: 'Keycloak',
      issuer: 'https://sso.example.com/realms/dev',
      authorizationUrl: 'https://sso.example.com/realms/dev/protocol/openid-connect/auth',
      tokenUrl: 'https://sso.example.com/realms/dev/protocol/openid-connect/token',
    });
    expect(() => validateProvider(provider)).not.toThrow();
  });

  it.each([
    ['a path', 'dev-42.acme.example/x'],
    ['a user name', 'ada@dev-42.acme.example'],
    ['a space', 'dev 42.acme.example'],
    ['a scheme', 'https://dev-42.acme.example'],
    ['a query', 'dev-42.acme.example?x=1'],
  ])('refuses a host with %s, naming the field', (_, domain) => {
    expect(refusal(ACME, withValues({ domain }))).toBe('Acme domain: enter a host name only, like dev-123.acme.example');
  });

  it.each([
    ['plain http off this machine', 'http://api.acme.example'],
    ['a query', 'https://api.acme.example/?v=2'],
    ['an empty query', 'https://api.acme.example/?'],
    ['a fragment', 'https://api.acme.example/#top'],
    ['a user name', 'https://ada@api.acme.example'],
    ['no scheme', 'api.acme.example'],
    ['another scheme', 'ftp://api.acme.example'],
  ])('refuses a URL with %s, naming the field', (_, api) => {
    expect(refusal(ACME, withValues({ api }))).toMatch(/^API base URL: enter an https URL \(http only on this machine\) without query/);
  });

  it('refuses an issuer URL on the same terms, naming the field', () => {
    expect(refusal(ACME, withValues({ issuer: 'http://id.example.com' }))).toMatch(/^Issuer URL: enter an https URL/);
  });

  it.each(['a/b', '..%2f', '.', '..', 'dev realm', 'dév'])('refuses %j as a path segment, naming the field', (tenant) => {
    expect(refusal(ACME, withValues({ tenant }))).toBe(
      'Tenant: enter one name of letters, digits, ".", "_", "~" or "-", not "." or ".." (like common)',
    );
  });

  it('keeps a text input as entered, and refuses one on several lines or too long', () => {
    const withAudience: Preset = {
      ...ACME,
      inputs: [...ACME.inputs, { key: 'audience', label: 'Audience', kind: 'text', example: 'orders-api' }],
      provider: { ...ACME.provider, tokenParams: { audience: '{audience}' } },
    };
    const values = { ...ENTRY.values, audience: 'urn:orders api' };
    expect(providerFromPreset(withAudience, { ...ENTRY, values }, 'acme')['tokenParams']).toEqual({ audience: 'urn:orders api' });
    const message = 'Audience: enter at most 200 characters on one line, like orders-api';
    expect(refusal(withAudience, { ...ENTRY, values: { ...values, audience: 'a\nb' } })).toBe(message);
    expect(refusal(withAudience, { ...ENTRY, values: { ...values, audience: 'a'.repeat(201) } })).toBe(message);
  });

  it('refuses a missing required input, naming the field and an example', () => {
    expect(refusal(ACME, withValues({ domain: ' ' }))).toBe('Acme domain: enter a value, like dev-123.acme.example');
    const { api: _, ...withoutApi } = ENTRY.values;
    expect(refusal(ACME, { ...ENTRY, values: withoutApi })).toBe('API base URL: enter a value, like https://api.example.com');
  });

  it('refuses a missing client ID', () => {
    expect(refusal(ACME, { ...ENTRY, clientId: '  ' })).toBe('Client ID: enter the client ID Acme ID gave your app');
  });

  it('refuses a missing secret when the preset requires one, and drops one it does not take', () => {
    const confidential: Preset = { ...ACME, clientSecret: 'required' };
    expect(refusal(confidential, { ...ENTRY, clientSecret: '' })).toBe("Client secret: Acme ID needs the client's secret");
    expect(refusal(confidential, { values: ENTRY.values, clientId: 'my-app' })).toBe("Client secret: Acme ID needs the client's secret");
    expect(providerFromPreset({ ...ACME, clientSecret: 'none' }, ENTRY, 'acme')).not.toHaveProperty('clientSecret');
  });

  it('refuses a preset whose strings hold a placeholder it has no input for', () => {
    const broken: Preset = { ...ACME, provider: { ...ACME.provider, revocationUrl: 'https://{domain}/{region}/revoke' } };
    expect(refusal(broken, ENTRY)).toBe('The Acme ID preset has no field for {region}');
  });
});

describe('presetProviderId', () => {
  it("is the preset's id while no provider has it, then the first free id-2, id-3…", () => {
    expect(presetProviderId(ACME, [])).toBe('acme');
    expect(presetProviderId(ACME, ['skyvault', 'acme-2'])).toBe('acme');
    expect(presetProviderId(ACME, ['acme'])).toBe('acme-2');
    expect(presetProviderId(ACME, ['acme', 'acme-2', 'acme-4'])).toBe('acme-3');
  });
});
