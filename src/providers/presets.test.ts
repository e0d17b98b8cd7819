import { describe, expect, it } from 'vitest';
import { fillFromMetadata, needsDiscovery } from './from-metadata';
import { providerFromPreset, type Preset } from './preset';
import { PRESETS } from './presets';
import { parseProviderJson } from './provider';
import { validateProvider } from './validate-provider';

/** What a user enters: each input's example, a client id, and a secret when the preset asks one. */
function fillWithExamples(preset: Preset, values: Record<string, string> = {}): Record<string, unknown> {
  const examples = Object.fromEntries(preset.inputs.map((input) => [input.key, input.example]));
  const entry = {
    values: { ...examples, ...values },
    clientId: 'my-client',
    ...(preset.clientSecret !== 'none' && { clientSecret: 'my-secret' }),
  };
  const provider = providerFromPreset(preset, entry, preset.id);
  // The generic entry names only its issuer: the options page fills the endpoints from its metadata.
  if (!needsDiscovery(provider)) return provider;
  const issuer = provider.issuer.replace(/\/$/, '');
  return fillFromMetadata(provider, {
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    authorizationUrl: `${issuer}/authorize`,
    tokenUrl: `${issuer}/token`,
    codeChallengeMethods: ['S256'],
    tokenEndpointAuthMethods: ['client_secret_basic'],
  });
}

describe('PRESETS', () => {
  it.each(PRESETS.map((preset) => [preset.name, preset] as const))('%s, filled with its examples, is a valid provider', (_, preset) => {
    const provider = validateProvider(fillWithExamples(preset));
    expect(provider.id).toBe(preset.id);
    expect(provider.name).toBe(preset.name);
    expect(provider.clientId).toBe('my-client');
    expect(provider.clientSecret).toBe(preset.clientSecret === 'none' ? undefined : 'my-secret');
  });

  it('pass the Provider JSON import together, under distinct ids', () => {
    const providers = parseProviderJson(JSON.stringify({ providers: PRESETS.map((preset) => fillWithExamples(preset)) }));
    expect(providers.map((provider) => provider.id)).toEqual(PRESETS.map((preset) => preset.id));
    expect(new Set(providers.map((provider) => provider.id)).size).toBe(PRESETS.length);
  });

  it('link to https documentation', () => {
    for (const preset of PRESETS) expect(new URL(preset.docs).protocol, preset.name).toBe('https:');
  });

  it('leave no placeholder unfilled and no input unused', () => {
    for (const preset of PRESETS) {
      const marked = Object.fromEntries(preset.inputs.map((input) => [input.key, markerFor(input.key, input.kind)]));
      const filled = providerFromPreset(preset, { values: marked, clientId: 'my-client', clientSecret: 'my-secret' }, preset.id);
      // A brace left in a value is a placeholder misspelt (`{Tenant}`, `{ten-ant}`) that filling skipped.
      const text = JSON.stringify(filled, (_, value: unknown) => {
        if (typeof value === 'string') expect(value, preset.name).not.toMatch(/[{}]/);
        return value;
      });
      for (const input of preset.inputs) expect(text, `${preset.name}: ${input.key}`).toContain(marked[input.key]);
    }
  });

  it('put text inputs only into parameters, never into a URL', () => {
    for (const preset of PRESETS) {
      const { extraParams: _e, tokenParams: _t, ...rest } = preset.provider;
      for (const input of preset.inputs.filter((i) => i.kind === 'text')) {
        expect(JSON.stringify(rest), `${preset.name}: ${input.key}`).not.toContain(`{${input.key}}`);
      }
    }
  });

  it('have unique keys for their inputs', () => {
    for (const preset of PRESETS) {
      const keys = preset.inputs.map((input) => input.key);
      expect(new Set(keys).size, preset.name).toBe(keys.length);
    }
  });

  it('fill Keycloak to the realm URLs under the base URL', () => {
    const keycloak = PRESETS.find((preset) => preset.id === 'keycloak');
    if (keycloak === undefined) throw new Error('no Keycloak preset');
    const provider = validateProvider(fillWithExamples(keycloak, { base: 'https://sso.example.com/', realm: 'dev' }));
    const realm = 'https://sso.example.com/realms/dev';
    expect(provider).toMatchObject({
      issuer: realm,
      authorizationUrl: `${realm}/protocol/openid-connect/auth`,
      tokenUrl: `${realm}/protocol/openid-connect/token`,
      revocationUrl: `${realm}/protocol/openid-connect/revoke`,
      apiBaseUrls: ['https://api.example.com/'],
    });
  });

  it('fill Microsoft Entra ID with the "common" tenant when none is entered', () => {
    const entra = PRESETS.find((preset) => preset.id === 'entra');
    if (entra === undefined) throw new Error('no Entra preset');
    const provider = validateProvider(providerFromPreset(entra, { values: {}, clientId: 'my-client' }, 'entra'));
    expect(provider.authorizationUrl).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
    expect(provider.tokenUrl).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/token');
  });
});

/** A value of the input's kind that shows where it lands. */
function markerFor(key: string, kind: Preset['inputs'][number]['kind']): string {
  const name = `marker-${key.toLowerCase()}`;
  return kind === 'segment' || kind === 'text' ? name : kind === 'host' ? `${name}.example` : `https://${name}.example`;
}
