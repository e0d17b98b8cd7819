// Which header a provider may have its token sent in: the one owner of that rule, read by import
// validation and by the rule compiler alike. Pure.

/** RFC 9110 5.6.2 token, the syntax of a header field name. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Headers the browser or the request itself owns, lower case. Fetch's forbidden request headers
 * (https://fetch.spec.whatwg.org/#forbidden-request-header), and what else a request's meaning or
 * the browser's own work rests on: the body's description (Content-*, matched below), conditional
 * and partial requests made by the cache and media elements (If-*, Range), content negotiation
 * (Accept*) and cache directives. A token in any of them would replace what the page or the browser
 * sent there, or hand a secret to whatever reads it (a proxy, a cookie jar).
 */
const OWNED_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'pragma',
  'range',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'upgrade-insecure-requests',
  'via',
  'x-http-method',
  'x-http-method-override',
  'x-method-override',
]);

/** Whole families: CORS preflight, the body, conditional requests, proxies, browser-set metadata. */
const OWNED_PREFIXES: readonly string[] = ['access-control-request-', 'content-', 'if-', 'proxy-', 'sec-'];

/**
 * What is wrong with `name` as the header to send a token in, in words that finish a sentence
 * about the field ("header.name …"), or undefined when it is fine. Case-insensitive, as HTTP is.
 */
export function headerNameProblem(name: string): string | undefined {
  if (!HEADER_NAME.test(name)) return 'must be a valid HTTP header name (letters, digits, "-", no spaces)';
  const lower = name.toLowerCase();
  if (OWNED_HEADERS.has(lower) || OWNED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
    return `must not be ${JSON.stringify(name)}: the browser or the request sets that header itself; use the header the API reads the token from, such as "Authorization"`;
  }
  return undefined;
}
