// A tab-mode provider's fixed redirect page (README "Provider JSON", tab mode): where the content script runs,
// which host access it needs, and which addresses count as that page.
import { parseProviderJson } from './provider';
import { usesTabRedirect } from './model';

/**
 * Match patterns for the content script: the redirect page itself and the page with any query
 * (a code arrives in the query). Match patterns cannot hold a port (Firefox) and ignore the
 * fragment, so the background checks the exact origin and path of every capture again.
 */
export function redirectPageMatches(redirectUri: string): string[] {
  const url = new URL(redirectUri);
  const page = `${url.protocol}//${url.hostname}${url.pathname}`;
  return [page, `${page}?*`];
}

/** The host access the content script needs on the redirect page (all ports, like the install-time grants). */
export function redirectPageHostPattern(redirectUri: string): string {
  const url = new URL(redirectUri);
  return `${url.protocol}//${url.hostname}/*`;
}

/** True when `address` is the redirect page: same scheme, host, port and path (query and fragment aside). */
export function isRedirectPage(address: string | undefined, redirectUri: string): boolean {
  if (address === undefined || !URL.canParse(address)) return false;
  const actual = new URL(address);
  const expected = new URL(redirectUri);
  return actual.protocol === expected.protocol && actual.host === expected.host && actual.pathname === expected.pathname;
}

/**
 * The redirect pages of the tab-mode providers in a Provider JSON text, for asking host access
 * from the Import click before the background validates it. A text that does not parse asks for
 * nothing: the import itself then names the bad field.
 */
export function redirectPagesIn(providerJson: string): string[] {
  try {
    return [
      ...new Set(
        parseProviderJson(providerJson)
          .filter(usesTabRedirect)
          .map((provider) => provider.redirectUri),
      ),
    ];
  } catch {
    return [];
  }
}
