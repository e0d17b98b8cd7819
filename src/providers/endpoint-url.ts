// URL rules shared by provider validation (what a provider may point at) and the OAuth requests
// (when oauth4webapi may be told to allow plain http).

const LOOPBACK_IPV4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Hosts for which plain http is allowed, for endpoints and approved sites alike: only this machine
 * can serve them, so no one on the network can read or rewrite that traffic (RFC 8252 8.3).
 * `localhost` and `*.localhost` (Chromium and Firefox resolve these to loopback themselves, never
 * asking DNS), 127.0.0.0/8 and `[::1]`, the loopback hosts the W3C Secure Contexts spec counts as
 * potentially trustworthy; `hostname` as `URL.hostname` spells it.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || LOOPBACK_IPV4.test(host);
}

/** True when `url` is https, or http on a loopback host: the only endpoints TokenTap talks to. */
export function isAllowedEndpoint(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** True when `text` parses as a URL that isAllowedEndpoint: one TokenTap may ask host access for. */
export function isAllowedEndpointText(text: string): boolean {
  return URL.canParse(text) && isAllowedEndpoint(new URL(text));
}

/** True when `url` is plain http on a loopback host, the one case where oauth4webapi must allow http. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}
