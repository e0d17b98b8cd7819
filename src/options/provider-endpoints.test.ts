import { describe, expect, it } from 'vitest';
import { providerEndpointsIn } from './provider-endpoints';

const skyvault = {
  id: 'skyvault',
  name: 'SkyVault',
  flow: 'code',
  authorizationUrl: 'https://auth.skyvault.example/oauth/authorize',
  tokenUrl: 'https://auth.skyvault.example/oauth/token',
  revocationUrl: 'https://revoke.skyvault.example/oauth/revoke',
  clientId: 'key',
  clientAuth: 'body',
  pkce: true,
  scopes: ['public_api'],
  extraParams: {},
  apiBaseUrls: ['https://api.skyvault.example/v1/'],
  header: { name: 'Authorization', prefix: 'Bearer' },
} as const;
const readycloud = { ...skyvault, id: 'readycloud', name: 'ReadyCloud', flow: 'implicit', tokenUrl: undefined, revocationUrl: undefined };

describe('providerEndpointsIn', () => {
  it('lists the token endpoints of every provider in a Provider JSON text, once each', () => {
    const other = { ...skyvault, id: 'other', name: 'Other' };
    expect(providerEndpointsIn(JSON.stringify({ providers: [skyvault, readycloud, other] }))).toEqual([skyvault.tokenUrl, skyvault.revocationUrl]);
  });
  it('asks for nothing when the text is not a valid Provider JSON (the import names the bad field)', () => {
    expect(providerEndpointsIn('{ "providers": [')).toEqual([]);
    expect(providerEndpointsIn(JSON.stringify({ providers: [{ ...skyvault, tokenUrl: 'ftp://x' }] }))).toEqual([]);
  });
});
