import browser from 'webextension-polyfill';
import type { BackgroundApi, Message, RequestType, Result } from '../messages';
import { UserFacingError } from '../messages';
import { setLastError } from '../storage/session';
import { setAfterWrite } from '../storage/store';
import { approveSite, removeSite } from './approvals';
import { syncRules } from './rules-sync';
import { connect } from './connect';
import { disconnect } from './disconnect';
import { importProviders } from './providers';
import { refresh } from './refresh';
import { registerTabFlowListeners } from './tab-flow';

type Handlers = { [K in RequestType]: (request: BackgroundApi[K]['request']) => Promise<BackgroundApi[K]['response']> };

const handlers: Handlers = {
  connect: ({ providerId }) => connect(providerId),
  disconnect: ({ accountId }) => disconnect(accountId),
  refresh: ({ accountId }) => refresh(accountId),
  importProviders: ({ json }) => importProviders(json),
  approveSite: ({ accountId, origin }) => approveSite(accountId, origin),
  removeSite: ({ accountId, origin }) => removeSite(accountId, origin),
  dismissError: async () => {
    await setLastError(null);
    return null;
  },
};

/** Only the extension's own pages may ask; web pages and content scripts cannot. */
function fromOwnPage(sender: browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL(''));
}

async function handle(message: Message): Promise<Result<unknown>> {
  const handler = handlers[message.type] as ((request: Message) => Promise<unknown>) | undefined;
  if (!handler) return { ok: false, error: `Unknown request "${String(message.type)}".` };
  try {
    const value = await handler(message);
    // A connect that worked clears the error an earlier attempt left for the popup.
    if (message.type === 'connect') await setLastError(null);
    return { ok: true, value };
  } catch (error) {
    const text =
      error instanceof UserFacingError ? error.message : 'TokenTap hit an unexpected problem. Nothing was changed.';
    if (!(error instanceof UserFacingError)) console.error('TokenTap: unexpected error in', message.type, (error as Error)?.name);
    if (message.type === 'connect') await setLastError(text);
    return { ok: false, error: text };
  }
}

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (!fromOwnPage(sender) || typeof message !== 'object' || message === null || !('type' in message)) return undefined;
  return handle(message as Message);
});

// Sign-ins in a tab (flow 7): redirect-page captures, closed sign-in tabs, the content script's registration.
registerTabFlowListeners();

// Rules follow storage: after every write, at browser start and install, and whenever the worker
// wakes (a check that costs one storage read and one getSessionRules when nothing changed).
setAfterWrite(syncRules);
browser.runtime.onStartup.addListener(() => void syncRules());
browser.runtime.onInstalled.addListener(() => void syncRules());
void syncRules();
