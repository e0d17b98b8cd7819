import { afterEach, describe, expect, it } from 'vitest';
import { json, startTokenServer, type Handler, type TokenServer } from '../../test/fixtures/token-server';
import { discoverMetadata, DiscoveryError } from './discovery';

const RFC8414 = '/.well-known/oauth-authorization-server';
const OIDC = '/.well-known/openid-configuration';

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<TokenServer> {
  server = await startTokenServer(handler);
  return server;
}

/** A complete metadata document for `issuer`, as RFC 8414 2 lists it. */
function metadataOf(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    device_authorization_endpoint: `${issuer}/device`,
    userinfo_endpoint: `${issuer}/userinfo`,
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    scopes_supported: ['openid', 'profile'],
    authorization_response_iss_parameter_supported: true,
  };
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DiscoveryError)) throw new Error(`expected a DiscoveryError, got ${String(error)}`);
  return error.message;
}

describe('discoverMetadata', () => {
  it('reads RFC 8414 metadata and returns the endpoints, methods and scopes', async () => {
    const { origin, received } = await serve((request) => (request.path === RFC8414 ? json(200, metadataOf(server!.origin)) : json(404, {})));
    expect(await discoverMetadata(origin)).toEqual({
      metadataUrl: `${origin}${RFC8414}`,
      authorizationUrl: `${origin}/authorize`,
      tokenUrl: `${origin}/token`,
      revocationUrl: `${origin}/revoke`,
      deviceAuthorizationUrl: `${origin}/device`,
      userinfoUrl: `${origin}/userinfo`,
      codeChallengeMethods: ['S256'],
      tokenEndpointAuthMethods: ['client_secret_post', 'client_secret_basic'],
      scopesSupported: ['openid', 'profile'],
      issParameterSupported: true,
    });
    expect(received.map((r) => [r.method, r.path, r.headers.accept])).toEqual([['GET', RFC8414, 'application/json']]);
  });

  it('falls back to OpenID Connect discovery when RFC 8414 answers 404, with a path issuer', async () => {
    const { origin, received } = await serve((request) =>
      request.path === `/realms/dev${OIDC}` ? json(200, metadataOf(`${server!.origin}/realms/dev`)) : json(404, {}),
    );
    const metadata = await discoverMetadata(`${origin}/realms/dev`);
    expect(metadata.metadataUrl).toBe(`${origin}/realms/dev${OIDC}`);
    expect(metadata.tokenUrl).toBe(`${origin}/realms/dev/token`);
    // RFC 8414 3.1 puts the well-known part before the issuer's path; OIDC after it.
    expect(received.map((r) => r.path)).toEqual([`${RFC8414}/realms/dev`, `/realms/dev${OIDC}`]);
  });

  it('leaves out what the document does not name, or names with the wrong type', async () => {
    const { origin } = await serve(() =>
      json(200, {
        issuer: server!.origin,
        authorization_endpoint: `${server!.origin}/a`,
        scopes_supported: 'openid',
        authorization_response_iss_parameter_supported: 'true',
      }),
    );
    expect(await discoverMetadata(origin)).toEqual({ metadataUrl: `${origin}${RFC8414}`, authorizationUrl: `${origin}/a` });
  });

  it('refuses a document that names another issuer', async () => {
    const { origin } = await serve(() => json(200, metadataOf('https://evil.example')));
    expect(await failure(discoverMetadata(origin))).toBe(
      `${origin}${RFC8414} names the issuer https://evil.example, not ${origin}/: check the Issuer URL (it must be exactly the provider's issuer)`,
    );
  });

  it('refuses an HTML page', async () => {
    const { origin } = await serve(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Sign in</body></html>',
    }));
    expect(await failure(discoverMetadata(origin))).toBe(
      `${origin}${RFC8414} answered with an HTML page, not JSON metadata: check the Issuer URL`,
    );
  });

  it('names the OpenID Connect URL when both documents answer 404', async () => {
    const { origin, received } = await serve(() => ({ status: 404, body: 'Not found' }));
    expect(await failure(discoverMetadata(origin))).toBe(`${origin}${OIDC} answered HTTP 404: check the Issuer URL`);
    expect(received).toHaveLength(2);
  });

  it('refuses a 500 without trying OpenID Connect discovery', async () => {
    const { origin, received } = await serve(() => json(500, { error: 'server_error' }));
    expect(await failure(discoverMetadata(origin))).toBe(`${origin}${RFC8414} answered HTTP 500: check the Issuer URL`);
    expect(received).toHaveLength(1);
  });

  it('refuses JSON that is not an object', async () => {
    const { origin } = await serve(() => json(200, ['not', 'metadata']));
    expect(await failure(discoverMetadata(origin))).toMatch(
      new RegExp(`^${origin}${RFC8414} did not answer with valid metadata \\(.+\\): check the Issuer URL$`),
    );
  });

  it('refuses a plain http issuer off this machine, and a bad URL, before any request', async () => {
    expect(await failure(discoverMetadata('http://id.example'))).toBe(
      'http://id.example/ is not https (plain http only on localhost / 127.0.0.1): check the Issuer URL',
    );
    expect(await failure(discoverMetadata('id.example'))).toBe('"id.example" is not a URL: enter the issuer like https://auth.example.com');
    expect(await failure(discoverMetadata('https://id.example/?realm=x'))).toBe(
      'https://id.example/?realm=x has a query or fragment, which an issuer never has: check the Issuer URL',
    );
  });

  it('says when the issuer cannot be reached', async () => {
    const { origin } = await serve(() => json(404, {}));
    await server!.close();
    server = undefined;
    expect(await failure(discoverMetadata(origin))).toBe(
      `${origin}${RFC8414} could not be reached (ECONNREFUSED): check the Issuer URL and your connection`,
    );
  });
});
