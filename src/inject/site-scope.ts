// Which http(s) origins may be approved at all, and what approving one also covers. Small and
// apart from site-origin.ts: the popup shows both for the active tab, whose origin the browser
// has already normalized.
import { isLoopbackHost } from '../providers/endpoint-url';

/**
 * Why a normalized origin (`URL.origin`) cannot be approved, or undefined when it may be: plain
 * http off this machine (see `isLoopbackHost`), where anyone on the network could inject script
 * into the page.
 */
export function openNetworkHttpRefusal(origin: string): string | undefined {
  const { protocol, hostname } = new URL(origin);
  if (protocol !== 'http:' || isLoopbackHost(hostname)) return undefined;
  return (
    `${origin} cannot be approved: anyone on the network could inject script into an http page and use your token through it. ` +
    `Approve ${origin.replace(/^http:/, 'https:')} instead (plain http is allowed only on this machine: localhost, *.localhost, 127.0.0.1, [::1]).`
  );
}

/**
 * The host patterns among `patterns` (as `permissions.getAll` lists them) that give access to
 * plain http off this machine, host by host: what an earlier version asked for when it approved
 * such a site. Held, they would let an approved https site's token reach its http twin.
 */
export function openNetworkHttpPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((pattern) => {
    const host = /^http:\/\/([^/*]+)\/\*$/.exec(pattern)?.[1];
    return host !== undefined && !isLoopbackHost(host);
  });
}

/**
 * What approving a normalized origin also covers. Browsers' network rules match the requesting
 * site by host only (DNR `initiatorDomains`, which also matches subdomains), but act only where
 * the extension has host access to the requesting page too, and TokenTap asks for the approved
 * scheme and host on every port. So approving `http://localhost:3000` covers `http://localhost:5173`,
 * and `https://localhost` or `http://app.localhost` only once TokenTap may reach them as well.
 * IP addresses have no subdomains.
 */
export function coverageNote(origin: string): string {
  const host = new URL(origin).hostname;
  const others = isIpAddress(host)
    ? 'its other scheme where TokenTap may reach it too'
    : 'its other scheme and subdomains where TokenTap may reach them too';
  return `Approving ${origin} also covers other ports of ${host}, and ${others}: the browser matches requesting sites by host only.`;
}

/** What the popup says next to Use on this site for the active tab's (normalized) origin. */
export function activeSiteNote(origin: string): string {
  return openNetworkHttpRefusal(origin) ?? coverageNote(origin);
}

/** Bracketed IPv6, as URL.hostname spells it and `initiatorDomains` accepts it. */
export const IPV6_HOST = /^\[[0-9a-f:.]+\]$/;
const IPV4_HOST = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function isIpAddress(host: string): boolean {
  return IPV6_HOST.test(host) || IPV4_HOST.test(host);
}
