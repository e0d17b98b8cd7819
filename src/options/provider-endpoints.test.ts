import { describe, expect, it } from 'vitest';
import { readycloud, skyvault } from '../../test/fixtures/endpoint-providers';
import { providerFromPreset } from '../providers/preset';
import { PRESETS } from '../providers/presets';
import { providerEndpointsIn } from './provider-endpoints';

describe('providerEndpointsIn', () => {
  it('lists the token endpoints of every provider in a Provider JSON text, once each', () => {
    const other = { ...skyvault, id: 'other', name: 'Other' };
    expect(providerEndpointsIn(JSON.stringify({ providers: [skyvault, readycloud, other] }))).toEqual([
      skyvault.tokenUrl,
      skyvault.revocationUrl,
    ]);
  });
  it('asks for nothing when the text is not a valid Provider JSON (the import names the bad field)', () => {
    expect(providerEndpointsIn('{ "providers": [')).toEqual([]);
    expect(providerEndpointsIn(JSON.stringify({ providers: [{ ...skyvault, tokenUrl: 'ftp://x' }] }))).toEqual([]);
  });
});

describe('providerEndpointsIn, providers given by issuer', () => {
  const byIssuer = {
    id: 'keycloak',
    name: 'Keycloak',
    flow: 'code',
    issuer: 'https://id.example/realms/dev',
    clientId: 'c',
    apiBaseUrls: ['https://api.example/'],
  };
  it('lists the issuer of a provider whose endpoints Import discovers, beside the others’ endpoints', () => {
    expect(providerEndpointsIn(JSON.stringify({ providers: [byIssuer, skyvault] }))).toEqual([
      byIssuer.issuer,
      skyvault.tokenUrl,
      skyvault.revocationUrl,
    ]);
  });
  it('lists the issuer of a provider added from the generic OpenID Connect preset, which Add from preset asks access for', () => {
    const values = { issuer: 'https://id.example/realms/dev', api: 'https://api.example' };
    const provider = providerFromPreset(
      PRESETS.find((preset) => preset.id === 'openid')!,
      { values, clientId: 'c' },
      'openid',
    );
    expect(providerEndpointsIn(JSON.stringify({ providers: [provider] }))).toEqual([values.issuer]);
  });
  it('asks for no issuer that is not https (or http on loopback)', () => {
    expect(providerEndpointsIn(JSON.stringify({ providers: [{ ...byIssuer, issuer: 'http://id.example' }] }))).toEqual([]);
  });
});
