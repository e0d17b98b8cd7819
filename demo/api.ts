// What the demo providers' protected APIs share: CORS, the preflight, JSON answers, the checks
// before a route answers (known path, allowed method) and the bearer-token lookup with its 401s.
import type { ServerResponse } from 'node:http';
import { sendEmpty, sendJson, type DemoRequest } from './http';
import { parseBearer } from './oauth';

/** CORS for the demo APIs: any origin, simple headers only (deliberately not Authorization). */
export const API_CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'WWW-Authenticate',
} as const;

export function sendPreflight(res: ServerResponse): void {
  sendEmpty(res, 204, {
    ...API_CORS_HEADERS,
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
}

/** A JSON answer from a demo API, never cached (it depends on the token). */
export function sendApiJson(res: ServerResponse, status: number, value: unknown): void {
  sendJson(res, status, value, { ...API_CORS_HEADERS, 'Cache-Control': 'no-store' });
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`;
}

/** A 401/403 from a protected API with `WWW-Authenticate: Bearer …` (RFC 6750 3) and a JSON body. */
export function sendBearerError(
  res: ServerResponse,
  status: 401 | 403,
  realm: string,
  error: 'invalid_token' | 'insufficient_scope',
  description: string,
  extra: Record<string, string> = {},
): void {
  const parts = [`realm=${quoted(realm)}`, `error=${quoted(error)}`, `error_description=${quoted(description)}`];
  for (const [key, value] of Object.entries(extra)) parts.push(`${key}=${quoted(value)}`);
  sendJson(
    res,
    status,
    { error, error_description: description },
    {
      ...API_CORS_HEADERS,
      'Cache-Control': 'no-store',
      'WWW-Authenticate': `Bearer ${parts.join(', ')}`,
    },
  );
}

/** An API's routes: path → the methods it answers. */
export type ApiRoutes = Readonly<Record<string, readonly string[]>>;

/**
 * Answers what a request gets before any route runs: the CORS preflight (any path), 404 for an
 * unknown path, 405 for a method the path does not answer. True when the route may answer.
 */
export function admitApiRequest(req: DemoRequest, res: ServerResponse, routes: ApiRoutes): boolean {
  if (req.method === 'OPTIONS') {
    sendPreflight(res);
    return false;
  }
  const path = req.url.pathname;
  const methods = Object.hasOwn(routes, path) ? routes[path] : undefined;
  if (methods === undefined) {
    sendApiJson(res, 404, { error: 'not_found', error_description: `No API at ${path}` });
    return false;
  }
  if (!methods.includes(req.method)) {
    sendJson(
      res,
      405,
      { error: 'method_not_allowed', error_description: `Use ${methods.join(' or ')}` },
      { ...API_CORS_HEADERS, Allow: methods.join(', ') },
    );
    return false;
  }
  return true;
}

/** What a provider keeps about an access token: at least when it expires. */
export interface AccessTokenRecord {
  /** `Date.now()` from which the token no longer works. */
  expiresAt: number;
}

/**
 * The record of the request's bearer token, or undefined after answering 401. An expired token
 * is forgotten. `unknownDescription` is the provider's words for a token it does not hold.
 */
export function authenticateBearer<T extends AccessTokenRecord>(
  req: DemoRequest,
  res: ServerResponse,
  realm: string,
  tokens: Map<string, T>,
  unknownDescription: string,
): T | undefined {
  const token = parseBearer(req.headers);
  if (token === null) {
    sendBearerError(res, 401, realm, 'invalid_token', 'An access token is required (Authorization: Bearer <token>)');
    return undefined;
  }
  const record = tokens.get(token);
  if (!record) {
    sendBearerError(res, 401, realm, 'invalid_token', unknownDescription);
    return undefined;
  }
  if (Date.now() >= record.expiresAt) {
    tokens.delete(token);
    sendBearerError(res, 401, realm, 'invalid_token', 'The access token expired');
    return undefined;
  }
  return record;
}
