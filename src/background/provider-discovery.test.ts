import { afterEach, describe, expect, it } from 'vitest';
import { json, startTokenServer, type TokenServer } from '../../test/fixtures/token-server';
import { UserFacingError } from '../messages';
import { discoverMissingEndpoints } from './provider-discovery';

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const GIVEN = {
  id: 'given',
  name: 'Given',
  flow: 'code',
  authorizationUrl: 'https://given.example/authorize',
  tokenUrl: 'https://given.example/token',
  clientId: 'c',
  apiBaseUrls: ['https://api.given.example/'],
};

function byIssuer(issuer: string) {
  return { id: 'local', name: 'Local', flow: 'code', issuer, clientId: 'app', clientSecret: 's', apiBaseUrls: [`${issuer}/api/`] };
}

describe('discoverMissingEndpoints', () => {
  it('fills the providers given by issuer, names where their endpoints came from, and keeps the others', async () => {
    server = await startTokenServer(() =>
      json(200, {
        issuer: server!.origin,
        authorization_endpoint: `${server!.origin}/authorize`,
        token_endpoint: `${server!.origin}/token`,
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }),
    );
    const { json: filled, discovered } = await discoverMissingEndpoints(JSON.stringify({ providers: [GIVEN, byIssuer(server.origin)] }));
    expect(JSON.parse(filled)).toEqual({
      providers: [
        GIVEN,
        // The metadata does not advertise `iss` (RFC 9207), so answers without it are accepted.
        {
          ...byIssuer(server.origin),
          authorizationUrl: `${server.origin}/authorize`,
          tokenUrl: `${server.origin}/token`,
          clientAuth: 'basic',
          requireIss: false,
        },
      ],
    });
    expect(discovered).toEqual({ local: `${server.origin}/.well-known/oauth-authorization-server` });
  });

  it('returns a document without issuer-only providers, or one that does not parse, as it is, fetching nothing', async () => {
    for (const text of [JSON.stringify({ providers: [GIVEN] }), '{ "providers": [', '[]']) {
      expect(await discoverMissingEndpoints(text)).toEqual({ json: text, discovered: {} });
    }
  });

  it('refuses the whole import when one issuer fails, naming the provider and the problem', async () => {
    server = await startTokenServer(() => json(200, { issuer: 'https://evil.example' }));
    const error = await discoverMissingEndpoints(JSON.stringify({ providers: [GIVEN, byIssuer(server.origin)] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      `providers[1].issuer: ${server.origin}/.well-known/oauth-authorization-server names the issuer https://evil.example, not ${server.origin}/: check the Issuer URL (it must be exactly the provider's issuer). Nothing was imported.`,
    );
  });
});
