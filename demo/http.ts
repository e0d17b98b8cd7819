// Tiny HTTP helpers shared by the demo servers: read the body, record the request,
// send JSON / HTML / redirects, listen on a loopback port and close everything again.
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The media type of HTML forms and OAuth token requests, whose bodies are read as `form`. */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What a demo server remembers about every request it received (for tests). */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/oauth/token`. */
  path: string;
  /** Path and query exactly as received. */
  url: string;
  /** Query parameters (the last value wins when a name repeats). */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Raw body (UTF-8). */
  body: string;
  /** Body parameters when it is `application/x-www-form-urlencoded` (last value wins), else `{}`. */
  params: Record<string, string>;
  /** `Date.now()` when the request arrived. */
  time: number;
}

/** A parsed request handed to a demo server's handler. */
export interface DemoRequest {
  method: string;
  /** Parsed against a dummy origin: use `pathname` and `searchParams` only. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  /** Lower-cased media type of the body without parameters, '' when absent. */
  mediaType: string;
  /** The body's form parameters (empty unless the body is form-urlencoded). */
  form: URLSearchParams;
}

export type Handler = (req: DemoRequest, res: ServerResponse) => void | Promise<void>;

class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(`Request body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

export function mediaTypeOf(headers: IncomingHttpHeaders): string {
  const value = headers['content-type'];
  if (typeof value !== 'string') return '';
  return (value.split(';')[0] ?? '').trim().toLowerCase();
}

function lastValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = value;
  return out;
}

function parseTarget(target: string | undefined): URL {
  const raw = target ?? '/';
  try {
    // Origin-form ('/path?q'), including paths starting with '//': never treat as a host.
    if (raw.startsWith('/')) return new URL(`http://demo.invalid${raw}`);
    const absolute = new URL(raw);
    return new URL(`http://demo.invalid${absolute.pathname}${absolute.search}`);
  } catch {
    return new URL('http://demo.invalid/');
  }
}

/**
 * Wraps a handler: reads the body (refusing large ones), records the request in `requests`,
 * and turns a thrown error into a 500 without leaking details.
 */
export function createListener(requests: RecordedRequest[], handler: Handler): RequestListener {
  return (req, res) => {
    // Node ignores a request listener's result; dispatch answers every error with a 500 itself.
    void dispatch(requests, handler, req, res);
  };
}

async function dispatch(requests: RecordedRequest[], handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: string;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      sendText(res, 413, 'Request body too large', { Connection: 'close' });
    } else {
      res.destroy();
    }
    return;
  }
  const url = parseTarget(req.url);
  const mediaType = mediaTypeOf(req.headers);
  const form = mediaType === FORM_MEDIA_TYPE ? new URLSearchParams(body) : new URLSearchParams();
  const method = (req.method ?? 'GET').toUpperCase();
  requests.push({
    method,
    path: url.pathname,
    url: req.url ?? '/',
    query: lastValues(url.searchParams),
    headers: { ...req.headers },
    body,
    params: lastValues(form),
    time: Date.now(),
  });
  try {
    await handler({ method, url, headers: req.headers, body, mediaType, form }, res);
  } catch (err) {
    // Never log request data here: it may hold secrets or tokens.
    console.error(`[demo] ${method} ${url.pathname} failed:`, err instanceof Error ? err.message : String(err));
    if (!res.headersSent) sendText(res, 500, 'Internal server error');
    else res.destroy();
  }
}

export type HeaderMap = Record<string, string | number | string[]>;

export function send(res: ServerResponse, status: number, contentType: string | null, body: string, headers: HeaderMap = {}): void {
  const payload = Buffer.from(body, 'utf8');
  const all: HeaderMap = { ...headers, 'Content-Length': payload.length };
  if (contentType) all['Content-Type'] = contentType;
  res.writeHead(status, all);
  res.end(payload);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: HeaderMap = {}): void {
  send(res, status, 'application/json', JSON.stringify(value), headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: HeaderMap = {}): void {
  send(res, status, 'text/html; charset=utf-8', html, headers);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: HeaderMap = {}): void {
  send(res, status, 'text/plain; charset=utf-8', text, headers);
}

export function sendEmpty(res: ServerResponse, status: number, headers: HeaderMap = {}): void {
  res.writeHead(status, headers);
  res.end();
}

export function redirect(res: ServerResponse, location: string, headers: HeaderMap = {}): void {
  send(res, 302, null, '', { ...headers, Location: location, 'Cache-Control': 'no-store' });
}

/** A server listening on one host (and, for `localhost`, on both loopback addresses). */
export interface Listening {
  origin: string;
  port: number;
  close(): Promise<void>;
}

function listenOn(server: http.Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host: address, port }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Listens on `host:port` (port 0 = a free port) and returns the origin. `localhost` is bound
 * on 127.0.0.1 and, when available, on ::1 with the same port, so browsers reach it whichever
 * address they resolve `localhost` to.
 */
export async function listen(listener: RequestListener, host: string, port: number): Promise<Listening> {
  const servers: http.Server[] = [];
  const make = (): http.Server => {
    const server = http.createServer(listener);
    servers.push(server);
    return server;
  };
  const isLocalhost = host.toLowerCase() === 'localhost';
  const actualPort = await listenOn(make(), isLocalhost ? '127.0.0.1' : host, port);
  if (isLocalhost) {
    try {
      await listenOn(make(), '::1', actualPort);
    } catch {
      // No IPv6 loopback, or the port is taken there: IPv4 alone is fine.
    }
  }
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://${hostPart}:${actualPort}`,
    port: actualPort,
    close(): Promise<void> {
      closing ??= Promise.all(servers.map(closeServer)).then(() => undefined);
      return closing;
    },
  };
}
