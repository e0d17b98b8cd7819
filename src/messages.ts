import { browser } from './platform';
import type { TokenMoveReview } from './providers/token-destinations';
import type { SentLine } from './inject/sent-from-tab';

/**
 * What Import answers: done, or (nothing written) the changes that move a connected provider's
 * tokens, to be confirmed by sending the same document again with `confirmed` set to `confirmation`.
 */
export type ImportResult =
  | {
      kind: 'imported';
      added: string[];
      changed: string[];
      reconnect: string[];
      secretNeeded: string[];
      /** Provider id → the metadata URL its endpoints were discovered at. */
      discovered: Record<string, string>;
    }
  | { kind: 'confirm'; reviews: TokenMoveReview[]; confirmation: string };

/** What Sent from this tab shows: the tab's requests that got a token, or (none) why, when it can tell. */
export interface SentFromTab {
  lines: SentLine[];
  empty?: string;
}

/** What Connect answers: the account connected, or the device sign-in that started (its user code is in storage.session). */
export type ConnectResult = { accountId: string } | { deviceSignIn: string };

/** Every request an extension page can make of the background, with what it answers. */
export interface BackgroundApi {
  /**
   * `scopeOption`: the index (as text) of the provider's scopeOption chosen in the popup; absent: the first.
   * A device-flow provider answers once its sign-in has started: the account comes when the user approves.
   */
  connect: { request: { providerId: string; scopeOption?: string }; response: ConnectResult };
  /** Stops a device sign-in in progress (Cancel in the popup): no more polls, nothing stored. */
  cancelDeviceSignIn: { request: { id: string }; response: null };
  disconnect: { request: { accountId: string }; response: null };
  refresh: { request: { accountId: string }; response: null };
  /** Signs in again for an existing account: new tokens, same label and approved sites. */
  reconnect: { request: { accountId: string }; response: ConnectResult };
  /** Rename: the account's new label as typed; answers the label as kept (trimmed). */
  renameAccount: { request: { accountId: string; label: string }; response: { label: string } };
  importProviders: { request: { json: string; confirmed?: string }; response: ImportResult };
  /** Adds an account for an access token the user pasted; `expiresIn` is seconds as typed ("" when unknown). */
  addPastedToken: {
    request: { providerId: string; accessToken: string; expiresIn: string };
    response: { accountId: string; label: string };
  };
  /** Drops a provider with its accounts and their approvals, then revokes their tokens. */
  removeProvider: { request: { providerId: string }; response: null };
  dismissError: { request: Record<string, never>; response: null };
  approveSite: { request: { accountId: string; origin: string }; response: { origin: string; replaced: string[] } };
  removeSite: { request: { accountId: string; origin: string }; response: null };
  /** Use on this tab only: `tabId` (as text) must still show `origin`; answers the origin it is bound to. */
  useOnTab: { request: { accountId: string; tabId: string; origin: string }; response: { origin: string } };
  stopUsingOnTab: { request: { accountId: string; tabId: string }; response: null };
  /** Sent from this tab: what the tab (its id as text) sent with a token lately, or why nothing. */
  sentFromTab: { request: { tabId: string }; response: SentFromTab };
}
export type RequestType = keyof BackgroundApi;
export type Message = { [K in RequestType]: { type: K } & BackgroundApi[K]['request'] }[RequestType];
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Sends a typed request to the background and returns its typed result. */
export async function request<K extends RequestType>(
  type: K,
  payload: BackgroundApi[K]['request'],
): Promise<Result<BackgroundApi[K]['response']>> {
  try {
    return await browser.runtime.sendMessage<unknown, Result<BackgroundApi[K]['response']>>({ type, ...payload });
  } catch {
    return { ok: false, error: 'TokenTap’s background could not be reached. Reload the extension and try again.' };
  }
}

/** An error whose message is written for the user and safe to show (never holds a token). */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}
