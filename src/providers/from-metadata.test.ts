import { describe, expect, it } from 'vitest';
import type { DiscoveredMetadata } from '../oauth/discovery';
import { clientAuthFrom, fillFromMetadata, needsDiscovery } from './from-metadata';
import { validateProvider } from './validate-provider';

const ISSUER = 'https://id.example/realms/dev';
const METADATA: DiscoveredMetadata = {
  metadataUrl: `${ISSUER}/.well-known/openid-configuration`,
  authorizationUrl: `${ISSUER}/auth`,
  tokenUrl: `${ISSUER}/token`,
  revocationUrl: `${ISSUER}/revoke`,
  codeChallengeMethods: ['plain', 'S256'],
  tokenEndpointAuthMethods: ['private_key_jwt', 'client_secret_post', 'client_secret_basic'],
  scopesSupported: ['openid'],
};
const BY_ISSUER = { id: 'keycloak', name: 'Keycloak', flow: 'code', issuer: ISSUER, clientId: 'app', apiBaseUrls: ['https://api.example/'] };

describe('needsDiscovery', () => {
  it('is true for a provider with an issuer that leaves out an endpoint its flow needs', () => {
    expect(needsDiscovery(BY_ISSUER)).toBe(true);
    expect(needsDiscovery({ ...BY_ISSUER, authorizationUrl: `${ISSUER}/auth` })).toBe(true);
    expect(needsDiscovery({ ...BY_ISSUER, flow: 'implicit' })).toBe(true);
  });
  it('asks a client-credentials provider for its token URL only', () => {
    const machine = { ...BY_ISSUER, flow: 'client_credentials', clientSecret: 's3cret' };
    expect(needsDiscovery(machine)).toBe(true);
    expect(needsDiscovery({ ...machine, tokenUrl: `${ISSUER}/token` })).toBe(false);
  });
  it('asks a device-flow provider for its device authorization and token URLs', () => {
    const device = { ...BY_ISSUER, flow: 'device' };
    expect(needsDiscovery({ ...device, tokenUrl: `${ISSUER}/token` })).toBe(true);
    expect(needsDiscovery({ ...device, tokenUrl: `${ISSUER}/token`, deviceAuthorizationUrl: `${ISSUER}/device` })).toBe(false);
  });
  it('is false with the endpoints given, or without an issuer', () => {
    expect(needsDiscovery({ ...BY_ISSUER, authorizationUrl: `${ISSUER}/auth`, tokenUrl: `${ISSUER}/token` })).toBe(false);
    expect(needsDiscovery({ ...BY_ISSUER, flow: 'implicit', authorizationUrl: `${ISSUER}/auth` })).toBe(false);
    expect(needsDiscovery({ ...BY_ISSUER, issuer: undefined })).toBe(false);
    expect(needsDiscovery([BY_ISSUER])).toBe(false);
  });
});

describe('fillFromMetadata', () => {
  it('fills the endpoints, PKCE and client authentication, and the result validates', () => {
    const filled = fillFromMetadata({ ...BY_ISSUER, clientSecret: 's3cret' }, METADATA);
    expect(validateProvider(filled)).toMatchObject({
      authorizationUrl: `${ISSUER}/auth`,
      tokenUrl: `${ISSUER}/token`,
      revocationUrl: `${ISSUER}/revoke`,
      issuer: ISSUER,
      pkce: true,
      clientAuth: 'body',
    });
  });
  it('gives a client-credentials provider no sign-in fields (authorization URL, PKCE), and the result validates', () => {
    const filled = fillFromMetadata({ ...BY_ISSUER, flow: 'client_credentials', clientSecret: 's3cret' }, METADATA);
    expect(filled).not.toHaveProperty('authorizationUrl');
    expect(filled).not.toHaveProperty('pkce');
    expect(validateProvider(filled)).toMatchObject({ tokenUrl: `${ISSUER}/token`, revocationUrl: `${ISSUER}/revoke`, clientAuth: 'body' });
  });
  it('gives a device-flow provider its device authorization URL and no sign-in fields, and the result validates', () => {
    const filled = fillFromMetadata({ ...BY_ISSUER, flow: 'device' }, { ...METADATA, deviceAuthorizationUrl: `${ISSUER}/device` });
    expect(filled).not.toHaveProperty('authorizationUrl');
    expect(filled).not.toHaveProperty('requireIss');
    expect(validateProvider(filled)).toMatchObject({ deviceAuthorizationUrl: `${ISSUER}/device`, tokenUrl: `${ISSUER}/token`, pkce: false });
    expect(
      fillFromMetadata({ ...BY_ISSUER, clientSecret: 's' }, { ...METADATA, deviceAuthorizationUrl: `${ISSUER}/device` }),
    ).not.toHaveProperty('deviceAuthorizationUrl');
  });
  it('gives every flow with a user its userinfo URL, and a client-credentials provider none; the result validates', () => {
    const metadata = { ...METADATA, userinfoUrl: `${ISSUER}/userinfo`, deviceAuthorizationUrl: `${ISSUER}/device` };
    for (const flow of ['code', 'implicit', 'device']) {
      const filled = fillFromMetadata({ ...BY_ISSUER, flow }, metadata);
      expect(validateProvider(filled)).toMatchObject({ userinfoUrl: `${ISSUER}/userinfo` });
    }
    const machine = fillFromMetadata({ ...BY_ISSUER, flow: 'client_credentials', clientSecret: 's' }, metadata);
    expect(machine).not.toHaveProperty('userinfoUrl');
    expect(validateProvider(machine)).not.toHaveProperty('userinfoUrl');
    expect(fillFromMetadata({ ...BY_ISSUER, userinfoUrl: 'https://other.example/me' }, metadata)['userinfoUrl']).toBe(
      'https://other.example/me',
    );
  });
  it('keeps what the provider sets itself', () => {
    const own = {
      ...BY_ISSUER,
      tokenUrl: 'https://other.example/token',
      pkce: false,
      clientSecret: 's',
      clientAuth: 'basic',
      requireIss: true,
    };
    expect(fillFromMetadata(own, METADATA)).toEqual({ ...own, authorizationUrl: `${ISSUER}/auth`, revocationUrl: `${ISSUER}/revoke` });
  });
  it('turns PKCE off when the methods listed lack S256, and leaves it alone when none are listed', () => {
    expect(fillFromMetadata(BY_ISSUER, { ...METADATA, codeChallengeMethods: ['plain'] })['pkce']).toBe(false);
    const { codeChallengeMethods: _, ...unlisted } = METADATA;
    expect(fillFromMetadata(BY_ISSUER, unlisted)).not.toHaveProperty('pkce');
  });
  it('sets no client authentication for a public client', () => {
    expect(fillFromMetadata(BY_ISSUER, METADATA)).not.toHaveProperty('clientAuth');
  });
  it('requires iss exactly when the server advertises it (RFC 9207 2.4), and the provider keeps its own choice', () => {
    expect(validateProvider(fillFromMetadata(BY_ISSUER, { ...METADATA, issParameterSupported: true })).requireIss).toBe(true);
    expect(validateProvider(fillFromMetadata(BY_ISSUER, { ...METADATA, issParameterSupported: false })).requireIss).toBe(false);
    expect(validateProvider(fillFromMetadata(BY_ISSUER, METADATA)).requireIss).toBe(false);
    expect(fillFromMetadata({ ...BY_ISSUER, requireIss: true }, METADATA)['requireIss']).toBe(true);
  });
  it('leaves requireIss out for a provider without an issuer', () => {
    const { issuer: _, ...noIssuer } = BY_ISSUER;
    expect(fillFromMetadata(noIssuer, { ...METADATA, issParameterSupported: true })).not.toHaveProperty('requireIss');
  });
  it('leaves an endpoint the metadata lacks for the validator to name', () => {
    const { tokenUrl: _, ...noToken } = METADATA;
    expect(() => validateProvider(fillFromMetadata(BY_ISSUER, noToken))).toThrow(
      `tokenUrl is required when flow is "code", and the issuer's metadata names none`,
    );
  });
});

describe('clientAuthFrom', () => {
  it('takes the first method TokenTap speaks, in the server’s order', () => {
    expect(clientAuthFrom(['client_secret_basic', 'client_secret_post'])).toBe('basic');
    expect(clientAuthFrom(['none', 'client_secret_post', 'client_secret_basic'])).toBe('body');
  });
  it('follows RFC 8414’s default (client_secret_basic) when the list is absent, and nothing for a list with neither', () => {
    expect(clientAuthFrom(undefined)).toBe('basic');
    expect(clientAuthFrom(['private_key_jwt', 'tls_client_auth'])).toBeUndefined();
  });
});
