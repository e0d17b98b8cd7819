// Where the console page is, and how Try it names the account it opens with. No imports: the
// popup, the console and vite.config.ts read it.

/** The console page's path in the build; vite.config.ts builds it as an input of its own (no manifest entry names it). */
export const CONSOLE_PAGE = 'src/console/index.html';

const ACCOUNT_PARAM = 'account';

/** The console page's path with `accountId` selected, for runtime.getURL. */
export function consolePath(accountId: string): string {
  return `${CONSOLE_PAGE}?${ACCOUNT_PARAM}=${encodeURIComponent(accountId)}`;
}

/** The account the page at `search` was opened for ("" when none). */
export function accountOpenedFor(search: string): string {
  return new URLSearchParams(search).get(ACCOUNT_PARAM) ?? '';
}
