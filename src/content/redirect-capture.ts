// Content script for a provider's fixed redirect page (README: Redirect URL to register at the provider, tab mode). The background
// registers it for tab-mode providers' redirect URIs, at document_start: the address is read before
// the page's own scripts can rewrite or drop the fragment that holds the token. It only hands the
// address to the background, which checks the sender, the state and everything else.
// No imports beyond a type and no polyfill: it runs on every visit to that page, so it stays tiny.
import type { RedirectCaptured } from './redirect-captured';

const api = (globalThis as { browser?: typeof chrome }).browser ?? chrome;
const message: RedirectCaptured = { type: 'redirectCaptured', url: location.href };
// Nobody may be listening (no sign-in running, or the worker is starting); that is not an error here.
api.runtime.sendMessage(message).catch(() => undefined);
