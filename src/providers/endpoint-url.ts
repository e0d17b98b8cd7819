// URL rules shared by provider validation (what a provider may point at) and the OAuth requests
// (when oauth4webapi may be told to allow plain http).

/** Hosts for which plain http is allowed: local development servers only (RFC 8252 8.3). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.0.0.1` and `[::1]` (as `URL.hostname` spells them). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** True when `url` is https, or http on a loopback host: the only endpoints TokenTap talks to. */
export function isAllowedEndpoint(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** True when `url` is plain http on a loopback host, the one case where oauth4webapi must allow http. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}
