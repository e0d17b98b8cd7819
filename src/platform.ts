import type Browser from 'webextension-polyfill';

/**
 * The extension API: Firefox's `browser`, or Chrome's `chrome`, whose MV3 methods return
 * promises too. Typed with webextension-polyfill's types; the polyfill itself is not shipped (see
 * README: it costs 3 KB gzipped per page, and its proxy does not see APIs granted at run time).
 */
export const browser: typeof Browser =
  (globalThis as unknown as { browser?: typeof Browser }).browser ?? (globalThis as unknown as { chrome: typeof Browser }).chrome;

export type { Browser };
