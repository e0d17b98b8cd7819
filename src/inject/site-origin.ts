// What the user types as an approved site, made into the origin TokenTap stores, and the host the
// browser's network rules can actually match it by.

import { isLoopbackHost } from '../providers/endpoint-url';
import { coverageNote, IPV6_HOST, openNetworkHttpRefusal } from './site-scope';

const EXAMPLE = 'Enter a site origin such as https://app.example.com or http://localhost:3000';

/** A site origin the user typed that cannot be approved; the message is for the user. */
export class SiteOriginError extends Error {
  override readonly name = 'SiteOriginError';
}

/**
 * Normalizes what a user typed as a site origin to `scheme://host[:port]` (WHATWG URL origin:
 * lower-case host, punycode, default port dropped; a path, query or fragment is ignored).
 * Throws SiteOriginError for empty input, input without `http://` or `https://` (`localhost:3000`
 * parses as a URL with the scheme `localhost:`), other schemes, credentials, a host that the
 * browser's network rules cannot name (see `ruleHostOf`), or plain http off this machine (see
 * `openNetworkHttpRefusal`): anyone on the network could inject script into such a page.
 */
export function parseSiteOrigin(input: string): string {
  const text = input.trim();
  if (text === '') throw new SiteOriginError(`${EXAMPLE}.`);
  if (!/^https?:\/\//i.test(text)) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1];
    if (scheme !== undefined) {
      throw new SiteOriginError(`${EXAMPLE}: only http:// and https:// sites can be approved, not ${scheme.toLowerCase()}://.`);
    }
    throw new SiteOriginError(`${EXAMPLE} (${quote(text)} has no http:// or https://).`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SiteOriginError(`${EXAMPLE} (${quote(text)} is not a valid address).`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new SiteOriginError(`${EXAMPLE}, without a user name or password (the part before "@").`);
  }
  if (url.hostname === '') throw new SiteOriginError(`${EXAMPLE} (${quote(text)} has no host name).`);
  const site = parsedSite(url.origin);
  if (site === undefined) {
    throw new SiteOriginError(
      `${EXAMPLE} (${quote(url.hostname)} is not a host name the browser can match: use letters, digits, "-" and "." only, without a final dot).`,
    );
  }
  const refusal = openNetworkHttpRefusal(site.origin);
  if (refusal !== undefined) throw new SiteOriginError(refusal);
  return url.origin;
}

/**
 * Why the browser's rules must not act for `origin`, in words for the user, or undefined when
 * they may: the reason `ruleSiteOf` refuses it.
 */
export function siteRefusal(origin: string): string | undefined {
  const site = syntacticSite(origin);
  if (site === undefined) return `${quote(origin)} is not an http(s) origin the browser can match.`;
  return openNetworkHttpRefusal(site.origin);
}

/** As `openNetworkHttpRefusal` decides, without parsing a URL: the compiler sees thousands of origins. */
function isOpenNetworkHttp(site: RuleSite): boolean {
  return site.origin.startsWith('http:') && !isLoopbackHost(site.host);
}

/** What approving `origin` also covers (see `coverageNote`). Throws SiteOriginError when `origin` is not a site origin. */
export function hostOnlyNote(origin: string): string {
  const site = syntacticSite(origin);
  if (site === undefined) throw new SiteOriginError(`${EXAMPLE} (${quote(origin)} is not a site origin).`);
  return coverageNote(site.origin);
}

/** Lower-case ASCII labels (URL has already applied punycode); no empty label, no final dot. */
const DOMAIN_HOST = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/** An approved site as the rules see it. */
export interface RuleSite {
  /** As DNR `initiatorDomains` wants it: lower case, punycode, IPv6 in brackets. */
  host: string;
  /** The normalized origin (`URL.origin`). */
  origin: string;
}

/**
 * The host of an http(s) origin as DNR `initiatorDomains` wants it (lower case, punycode, IPv6 in
 * brackets as `URL.hostname` spells it), or undefined when the origin is not usable. One host
 * the browser rejects would make it refuse the whole rule update, so anything outside plain
 * labels or a bracketed IPv6 address is refused here (e.g. `*` or `$`, which URL lets through).
 */
export function ruleHostOf(origin: string): string | undefined {
  return ruleSiteOf(origin)?.host;
}

/**
 * Like `ruleHostOf`, with the normalized origin too. Plain http on the open network is refused
 * here as at approval, so an approval stored before that rule existed gets no token either.
 */
export function ruleSiteOf(origin: string): RuleSite | undefined {
  const site = syntacticSite(origin);
  return site === undefined || isOpenNetworkHttp(site) ? undefined : site;
}

/** The origin as a rule could name it, whatever its scheme and host. */
function syntacticSite(origin: string): RuleSite | undefined {
  return canonicalSite(origin) ?? parsedSite(origin);
}

/**
 * Origins as parseSiteOrigin stores them, recognised without a URL parse (the rule compiler sees
 * thousands): a host of plain labels that URL would leave as it is (no IPv4 number as last
 * label, no punycode to check) and no default port. Anything else goes through URL.
 */
const CANONICAL_ORIGIN = /^(https?):\/\/((?:[a-z0-9_-]+\.)*([a-z0-9_-]+))(?::([1-9]\d{0,4}))?$/;
const IPV4_NUMBER = /^(?:\d+|0x[0-9a-f]*)$/;

function canonicalSite(origin: string): RuleSite | undefined {
  const match = CANONICAL_ORIGIN.exec(origin);
  if (match === null) return undefined;
  const [, scheme, host, lastLabel, port] = match;
  if (IPV4_NUMBER.test(lastLabel!) || host!.includes('xn--')) return undefined;
  if (port !== undefined && (Number(port) > 65535 || port === (scheme === 'http' ? '80' : '443'))) return undefined;
  return { host: host!, origin };
}

function parsedSite(origin: string): RuleSite | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  const host = url.hostname;
  return IPV6_HOST.test(host) || DOMAIN_HOST.test(host) ? { host, origin: url.origin } : undefined;
}

/** The input in quotes for a message: one line, at most 60 characters. */
function quote(text: string): string {
  const line = text.replace(/\p{Cc}/gu, ' ');
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line);
}
