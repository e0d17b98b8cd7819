// What the demo providers' authorization endpoints share: the request read from the query (GET)
// or the form the user sends back (POST), the checks made once the redirect URI is trusted, and
// the user's Allow or Deny. What a provider asks the user and issues stays in its own file.
import type { ServerResponse } from 'node:http';
import { FORM_MEDIA_TYPE, redirect, type DemoRequest, type Handler } from './http';
import { repeatedParam } from './oauth';
import type { ProviderPages } from './provider-site';

/** An error sent back to the client at its redirect URI (RFC 6749 4.1.2.1, 4.2.2.1). */
export interface AuthorizeRedirectError {
  kind: 'redirect-error';
  redirectUri: string;
  error: string;
  description: string;
  state: string | undefined;
}

/** A request that may go on to the user. */
export interface AuthorizeRequest {
  kind: 'ok';
  redirectUri: string;
  /** Undefined when absent or repeated. */
  state: string | undefined;
  /** The request's own parameters, to repeat as hidden fields of the page's form. */
  fields: Array<[string, string]>;
}

/**
 * A provider's verdict on an authorization request: an error page (the client or its redirect URI
 * cannot be trusted), an error for the client, or the request with what the provider adds.
 */
export type AuthorizeCheck<Extra> = { kind: 'page'; title: string; message: string } | AuthorizeRedirectError | (AuthorizeRequest & Extra);

export function redirectError(to: Pick<AuthorizeRequest, 'redirectUri' | 'state'>, error: string, description: string): AuthorizeRedirectError {
  return { kind: 'redirect-error', redirectUri: to.redirectUri, error, description, state: to.state };
}

/**
 * The checks every demo provider makes once the redirect URI is trusted: no repeated parameter
 * among `names` (RFC 6749 3.1) and the one `response_type` the provider supports.
 */
export function checkAuthorizeRequest(
  params: URLSearchParams,
  redirectUri: string,
  responseType: 'code' | 'token',
  names: readonly string[],
): AuthorizeRedirectError | AuthorizeRequest {
  const stateValues = params.getAll('state');
  const request: AuthorizeRequest = { kind: 'ok', redirectUri, state: stateValues.length === 1 ? stateValues[0] : undefined, fields: [] };
  const repeated = repeatedParam(params, names);
  if (repeated) return redirectError(request, 'invalid_request', `The ${repeated} parameter appears more than once.`);
  const given = params.get('response_type');
  if (!given) return redirectError(request, 'invalid_request', `The response_type parameter is missing; it must be "${responseType}".`);
  if (given !== responseType) return redirectError(request, 'unsupported_response_type', `response_type must be "${responseType}".`);
  for (const name of names) {
    const value = params.get(name);
    if (value !== null) request.fields.push([name, value]);
  }
  return request;
}

/** The user's choice on the provider's page; a missing or repeated `decision` is no choice. */
export function decisionOf(params: URLSearchParams): 'allow' | 'deny' | undefined {
  const decisions = params.getAll('decision');
  const decision = decisions.length === 1 ? decisions[0] : undefined;
  return decision === 'allow' || decision === 'deny' ? decision : undefined;
}

/** What makes one provider's authorization endpoint its own. */
export interface AuthorizeEndpoint<Extra> {
  pages: ProviderPages;
  check(params: URLSearchParams): AuthorizeCheck<Extra>;
  /** The authorization response: the parameters added to the redirect URI as the grant says. */
  responseUrl(redirectUri: string, params: Record<string, string | undefined>): string;
  /** GET: the page that asks the user (or an answer at once). */
  ask(req: DemoRequest, res: ServerResponse, request: AuthorizeRequest & Extra): void;
  /** POST with Allow: the form's `params` hold what the user entered. */
  allow(req: DemoRequest, res: ServerResponse, request: AuthorizeRequest & Extra, params: URLSearchParams): void;
  /** The error page's words when the form carries no single Allow or Deny. */
  chooseMessage: string;
}

/** The handler of a provider's authorization endpoint. */
export function authorizeHandler<Extra>(endpoint: AuthorizeEndpoint<Extra>): Handler {
  return (req, res) => handleAuthorize(endpoint, req, res);
}

function handleAuthorize<Extra>(endpoint: AuthorizeEndpoint<Extra>, req: DemoRequest, res: ServerResponse): void {
  const { pages } = endpoint;
  if (req.method !== 'GET' && req.method !== 'POST') {
    pages.sendError(res, 405, 'Method not allowed', 'Use GET to start an authorization.');
    return;
  }
  let params = req.url.searchParams;
  if (req.method === 'POST') {
    if (req.mediaType !== FORM_MEDIA_TYPE) {
      pages.sendError(res, 400, 'Invalid request', 'The form must be sent as application/x-www-form-urlencoded.');
      return;
    }
    params = req.form;
  }
  const check = endpoint.check(params);
  if (check.kind === 'page') {
    pages.sendError(res, 400, check.title, check.message);
    return;
  }
  if (check.kind === 'redirect-error') {
    redirect(res, endpoint.responseUrl(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }));
    return;
  }
  if (req.method === 'GET') {
    endpoint.ask(req, res, check);
    return;
  }
  const decision = decisionOf(params);
  if (decision === 'deny') {
    redirect(
      res,
      endpoint.responseUrl(check.redirectUri, { error: 'access_denied', error_description: 'The user denied access', state: check.state }),
    );
    return;
  }
  if (decision === undefined) {
    pages.sendError(res, 400, 'Invalid request', endpoint.chooseMessage);
    return;
  }
  endpoint.allow(req, res, check, params);
}
