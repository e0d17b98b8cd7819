// What a provider takes from its issuer's metadata (README: Provider JSON, adding a provider from
// an issuer URL): only what the provider leaves out, so its own settings always win.
import type { DiscoveredMetadata } from '../oauth/discovery';
import { isWindowless, SIGN_IN_FIELDS, type ClientAuth } from './model';
import { isPlainObject } from './validate-provider';

/** A provider object (before validation) that names an issuer and leaves out an endpoint its flow needs. */
export function needsDiscovery(value: unknown): value is Record<string, unknown> & { issuer: string } {
  if (!isPlainObject(value) || typeof value['issuer'] !== 'string') return false;
  return endpointsNeeded(value['flow']).some((key) => value[key] === undefined);
}

/** The endpoints a flow needs: a sign-in its authorization URL, the code and client-credentials grants their token URL, the device grant both of its own. */
function endpointsNeeded(flow: unknown): readonly string[] {
  switch (flow) {
    case 'client_credentials':
      return ['tokenUrl'];
    case 'device':
      return ['deviceAuthorizationUrl', 'tokenUrl'];
    case 'code':
      return ['authorizationUrl', 'tokenUrl'];
    default:
      return ['authorizationUrl'];
  }
}

/**
 * The provider object with what it left out filled from `metadata`: the authorization (for a flow
 * that signs in), token, revocation, (for the device flow) device authorization and (for a flow with a user) userinfo URLs; `pkce` as whether `S256` is listed (when the metadata
 * lists methods, for a flow that signs in); for a client with a secret, `clientAuth` from the token
 * endpoint's methods (clientAuthFrom); and, for a provider with an issuer that signs in,
 * `requireIss` as whether the server advertises sending `iss`. Pure.
 */
export function fillFromMetadata(provider: Readonly<Record<string, unknown>>, metadata: DiscoveredMetadata): Record<string, unknown> {
  const filled: Record<string, unknown> = { ...provider };
  // A windowless provider has no sign-in at an authorization URL: its metadata's authorization endpoint and PKCE methods are not for it.
  const unused: readonly string[] = isWindowless(provider['flow']) ? SIGN_IN_FIELDS : [];
  const fill = (key: string, value: unknown) => {
    if (filled[key] === undefined && value !== undefined && !unused.includes(key)) filled[key] = value;
  };
  fill('authorizationUrl', metadata.authorizationUrl);
  fill('tokenUrl', metadata.tokenUrl);
  fill('revocationUrl', metadata.revocationUrl);
  if (provider['flow'] === 'device') fill('deviceAuthorizationUrl', metadata.deviceAuthorizationUrl);
  // Someone signs in with every flow but client credentials: userinfo can name them (the default label).
  if (provider['flow'] !== 'client_credentials') fill('userinfoUrl', metadata.userinfoUrl);
  // oauth4webapi speaks S256 only, so a server that lists methods without it gets no PKCE.
  fill('pkce', metadata.codeChallengeMethods?.includes('S256'));
  if (filled['clientSecret'] !== undefined) fill('clientAuth', clientAuthFrom(metadata.tokenEndpointAuthMethods));
  // RFC 9207 2.4: only a server that advertises `iss` must send it; many OpenID providers never do.
  if (filled['issuer'] !== undefined) fill('requireIss', metadata.issParameterSupported === true);
  return filled;
}

/**
 * The first of the token endpoint's methods that TokenTap speaks, in the server's order (its
 * preference): `client_secret_basic` → "basic", `client_secret_post` → "body". Absent, RFC 8414 2
 * says the server takes `client_secret_basic`; a list with neither leaves the default ("body").
 */
export function clientAuthFrom(methods: readonly string[] | undefined): ClientAuth | undefined {
  for (const method of methods ?? ['client_secret_basic']) {
    if (method === 'client_secret_basic') return 'basic';
    if (method === 'client_secret_post') return 'body';
  }
  return undefined;
}
