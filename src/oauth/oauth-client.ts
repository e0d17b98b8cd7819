// How a Provider becomes oauth4webapi's AuthorizationServer, Client, client authentication and
// request options (no discovery: everything comes from the provider).
import * as oauth from 'oauth4webapi';
import { isAllowedEndpoint, isLoopbackHttp } from '../providers/endpoint-url';
import type { Provider } from '../providers/model';
import { OAuthError, type OAuthStep } from './errors';

/** Transport hooks, passed to oauth4webapi as `[customFetch]` and `signal`. */
export interface TokenRequestOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** What building the oauth4webapi AuthorizationServer / Client needs from a provider. */
export type TokenEndpointProvider = Pick<Provider, 'issuer' | 'clientId'> &
  Partial<Pick<Provider, 'authorizationUrl' | 'tokenUrl' | 'revocationUrl'>>;

/** Runs a request builder; a rejected fetch is already an OAuthError('network'), anything else is a setup problem. */
export async function sendRequest(step: OAuthStep, request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    const message = error instanceof Error ? error.message : 'the request could not be built';
    throw new OAuthError('provider_config', message, { step });
  }
}

/**
 * oauth4webapi options for one endpoint: http is allowed only for a loopback endpoint, and the
 * fetch is wrapped so that a rejection (no connection, abort) is told apart from a bad answer.
 */
export function requestOptions(
  endpoint: URL,
  step: OAuthStep,
  options: TokenRequestOptions | undefined,
): oauth.HttpRequestOptions<'POST', URLSearchParams> {
  const fetchImpl = options?.fetch ?? fetch;
  const where = step === 'revoke' ? 'revocation endpoint' : 'token endpoint';
  return {
    ...(isLoopbackHttp(endpoint) && { [oauth.allowInsecureRequests]: true }),
    ...(options?.signal !== undefined && { signal: options.signal }),
    [oauth.customFetch]: async (url: string, init: oauth.CustomFetchOptions<'POST', URLSearchParams>) => {
      try {
        return await fetchImpl(url, init);
      } catch (cause) {
        throw new OAuthError('network', `the request to the ${where} failed (${failureReason(cause)})`, { step, cause });
      }
    },
  };
}

/** Why a fetch rejected, in one word for the user (`aborted`, `ECONNREFUSED`, `no answer`). */
export function failureReason(cause: unknown): string {
  if (cause instanceof Error && (cause.name === 'AbortError' || cause.name === 'TimeoutError')) return 'aborted';
  const inner = cause instanceof Error ? cause.cause : undefined;
  const code = typeof inner === 'object' && inner !== null && 'code' in inner ? inner.code : undefined;
  return typeof code === 'string' ? code : 'no answer';
}

/** The endpoint as a URL, or provider_config when it is missing or not allowed. */
export function requireEndpoint(value: string | undefined, missing: string, step: OAuthStep): URL {
  if (value === undefined) throw new OAuthError('provider_config', missing, { step });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthError('provider_config', 'an endpoint URL is not valid', { step });
  }
  if (!isAllowedEndpoint(url)) {
    throw new OAuthError('provider_config', 'an endpoint URL must be https (or http on localhost / 127.0.0.1)', { step });
  }
  return url;
}

/**
 * No discovery: the issuer is the configured one, else the origin of the authorization URL (the
 * token URL for a client-credentials provider, which has none).
 */
export function authorizationServer(provider: TokenEndpointProvider): oauth.AuthorizationServer {
  const endpoint = provider.authorizationUrl ?? provider.tokenUrl ?? provider.revocationUrl;
  if (endpoint === undefined) throw new OAuthError('provider_config', 'it has no endpoint URL');
  return {
    issuer: provider.issuer ?? new URL(endpoint).origin,
    ...(provider.tokenUrl !== undefined && { token_endpoint: provider.tokenUrl }),
    ...(provider.revocationUrl !== undefined && { revocation_endpoint: provider.revocationUrl }),
  };
}

export function clientOf(provider: TokenEndpointProvider): oauth.Client {
  return { client_id: provider.clientId };
}

/** RFC 6749 2.3.1: the secret in the body or as HTTP Basic; a public client sends only client_id. */
export function clientAuthentication(provider: Provider, step: OAuthStep): oauth.ClientAuth {
  if (provider.clientSecret === undefined) {
    if (provider.clientAuth === 'basic') {
      throw new OAuthError('provider_config', 'HTTP Basic client authentication needs a client secret', { step });
    }
    return oauth.None();
  }
  return provider.clientAuth === 'basic' ? clientSecretBasic(provider.clientSecret) : oauth.ClientSecretPost(provider.clientSecret);
}

/**
 * HTTP Basic client authentication (RFC 6749 2.3.1): id and secret each form-urlencoded
 * (Appendix B), then base64. Not oauth4webapi's ClientSecretBasic: it also escapes "-", "." and
 * "_", which servers that skip the decoding step reject (Google among them; oauth4webapi issues
 * #148, #165, #199). The WHATWG form serializer leaves letters, digits and "*-._" as they are, so
 * typical ids and secrets go out exactly as `curl -u` sends them and still decode correctly.
 */
function clientSecretBasic(clientSecret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${formEncode(client.client_id)}:${formEncode(clientSecret)}`;
    headers.set('authorization', `Basic ${btoa(credentials)}`);
  };
}

/** application/x-www-form-urlencoded serialization of one value (ASCII out, so btoa can take it). */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
