// The one message the redirect-page content script sends (tab mode), and its guard.

/** The redirect page's address as the content script read it, fragment and query included. */
export interface RedirectCaptured {
  type: 'redirectCaptured';
  url: string;
}

/** Longer than any redirect a provider sends; a bigger message is not one of ours. */
const MAX_URL_LENGTH = 16_384;

/** True only for `{ type: 'redirectCaptured', url }` with an http(s) URL and nothing else. */
export function isRedirectCaptured(message: unknown): message is RedirectCaptured {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
  const keys = Object.keys(message);
  if (keys.length !== 2 || !keys.includes('type') || !keys.includes('url')) return false;
  const { type, url } = message as Record<string, unknown>;
  return type === 'redirectCaptured' && typeof url === 'string' && url.length <= MAX_URL_LENGTH && /^https?:\/\//i.test(url);
}
