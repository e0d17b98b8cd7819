// Authorization server metadata from an issuer URL (RFC 8414, then OpenID Connect Discovery 1.0)
// through oauth4webapi, which also checks the document's `issuer` (README: Provider JSON, from an
// issuer URL). Pure apart from fetch.
import * as oauth from 'oauth4webapi';
import { isAllowedEndpoint, isLoopbackHttp } from '../providers/endpoint-url';
import { failureReason } from './oauth-client';

/** What TokenTap reads from a metadata document; absent keys were not in it (or not of the right type). */
export interface DiscoveredMetadata {
  /** Where the document was read (`…/.well-known/oauth-authorization-server` or `…/openid-configuration`). */
  metadataUrl: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  revocationUrl?: string;
  deviceAuthorizationUrl?: string;
  /** `userinfo_endpoint` (OpenID Connect Discovery 3). */
  userinfoUrl?: string;
  codeChallengeMethods?: string[];
  tokenEndpointAuthMethods?: string[];
  scopesSupported?: string[];
  /** `authorization_response_iss_parameter_supported`: the server sends `iss` in its authorization responses (RFC 9207 3). */
  issParameterSupported?: boolean;
}

/** A discovery failure, in words the user can act on (it names the URL and what to check). */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

export interface DiscoveryOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const CHECK_ISSUER = 'check the Issuer URL';

/**
 * Reads the issuer's metadata: RFC 8414 first (`/.well-known/oauth-authorization-server`), and
 * when that answers 404, OpenID Connect Discovery (`/.well-known/openid-configuration`). The issuer
 * must be https (http only on loopback), and the document must be JSON naming exactly this issuer.
 * Throws DiscoveryError.
 */
export async function discoverMetadata(issuer: string, options: DiscoveryOptions = {}): Promise<DiscoveredMetadata> {
  const issuerUrl = readIssuerUrl(issuer);
  const first = await requestMetadata(issuerUrl, 'oauth2', options);
  // RFC 8414 3: a server without that document answers 404; OpenID providers often have only theirs.
  const { url, response } = first.response.status === 404 ? await requestMetadata(issuerUrl, 'oidc', options) : first;
  return readMetadata(issuerUrl, url, response);
}

/** The issuer as a URL: absolute, https (or http on loopback), no query or fragment (RFC 8414 2). */
function readIssuerUrl(issuer: string): URL {
  let url: URL;
  try {
    url = new URL(issuer.trim());
  } catch {
    throw new DiscoveryError(`"${issuer.slice(0, 200)}" is not a URL: enter the issuer like https://auth.example.com`);
  }
  if (!isAllowedEndpoint(url)) {
    throw new DiscoveryError(`${url.href} is not https (plain http only on localhost / 127.0.0.1): ${CHECK_ISSUER}`);
  }
  if (url.search !== '' || url.hash !== '' || issuer.includes('#')) {
    throw new DiscoveryError(`${url.href} has a query or fragment, which an issuer never has: ${CHECK_ISSUER}`);
  }
  return url;
}

async function requestMetadata(
  issuer: URL,
  algorithm: 'oauth2' | 'oidc',
  options: DiscoveryOptions,
): Promise<{ url: string; response: Response }> {
  const fetchImpl = options.fetch ?? fetch;
  let url = '';
  try {
    const response = await oauth.discoveryRequest(issuer, {
      algorithm,
      ...(isLoopbackHttp(issuer) && { [oauth.allowInsecureRequests]: true }),
      ...(options.signal !== undefined && { signal: options.signal }),
      [oauth.customFetch]: (target: string, { body: _none, ...init }: oauth.CustomFetchOptions<'GET', undefined>) => {
        url = target;
        return fetchImpl(target, init);
      },
    });
    return { url, response };
  } catch (cause) {
    throw new DiscoveryError(`${url || issuer.href} could not be reached (${failureReason(cause)}): ${CHECK_ISSUER} and your connection`, {
      cause,
    });
  }
}

async function readMetadata(issuer: URL, url: string, response: Response): Promise<DiscoveredMetadata> {
  // fetch with redirect "manual": a browser reports a redirect as status 0.
  if (response.status !== 200) {
    const status = response.status === 0 ? 'with a redirect' : `HTTP ${response.status}`;
    throw new DiscoveryError(`${url} answered ${status}: ${CHECK_ISSUER}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    const what = /html/i.test(type) ? 'an HTML page' : `"${type.slice(0, 60) || 'no content type'}"`;
    throw new DiscoveryError(`${url} answered with ${what}, not JSON metadata: ${CHECK_ISSUER}`);
  }
  let metadata: oauth.AuthorizationServer;
  try {
    metadata = await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    if (error instanceof oauth.OperationProcessingError && error.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      const named = (error.cause as { body?: { issuer?: unknown } } | undefined)?.body?.issuer;
      throw new DiscoveryError(
        `${url} names the issuer ${String(named).slice(0, 200)}, not ${issuer.href}: ${CHECK_ISSUER} (it must be exactly the provider's issuer)`,
      );
    }
    const reason = error instanceof Error ? error.message : 'not valid metadata';
    throw new DiscoveryError(`${url} did not answer with valid metadata (${reason}): ${CHECK_ISSUER}`);
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const flag = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
  const list = (value: unknown) =>
    Array.isArray(value) && value.every((item): item is string => typeof item === 'string') ? value : undefined;
  const found = {
    authorizationUrl: text(metadata.authorization_endpoint),
    tokenUrl: text(metadata.token_endpoint),
    revocationUrl: text(metadata.revocation_endpoint),
    deviceAuthorizationUrl: text(metadata.device_authorization_endpoint),
    userinfoUrl: text(metadata.userinfo_endpoint),
    codeChallengeMethods: list(metadata.code_challenge_methods_supported),
    tokenEndpointAuthMethods: list(metadata.token_endpoint_auth_methods_supported),
    scopesSupported: list(metadata.scopes_supported),
    issParameterSupported: flag(metadata.authorization_response_iss_parameter_supported),
  };
  const present = Object.entries(found).filter(([, value]) => value !== undefined);
  return { metadataUrl: url, ...(Object.fromEntries(present) as Omit<DiscoveredMetadata, 'metadataUrl'>) };
}
