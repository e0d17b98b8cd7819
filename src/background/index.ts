import { browser, type Browser } from '../platform';
import type { BackgroundApi, Message, RequestType, Result } from '../messages';
import { UserFacingError } from '../messages';
import { parseRequest } from '../parse-request';
import { setLastError } from '../storage/session';
import { readState, setAfterWrite, type StoredState } from '../storage/store';
import { approveSite, dropOpenNetworkHttpAccess, removeSite } from './approvals';
import { UNEXPECTED_PROBLEM } from './refusals';
import { syncRules } from './rules-sync';
import { dropClosedTabChoices, registerTabChoiceListeners, stopUsingOnTab, useOnTab } from './tab-choices';
import { connect, reconnect, registerSignInRecovery } from './connect';
import { cancelDeviceSignIn, registerDeviceSignInListeners } from './device-flow';
import { disconnect } from './disconnect';
import { addPastedToken } from './paste-token';
import { importProviders } from './providers';
import { removeProvider } from './remove-provider';
import { renameAccount } from './rename-account';
import { renew } from './refresh';
import { registerLifecycleListeners, scheduleRenewals } from './lifecycle';
import { registerTabFlowListeners } from './tab-flow';
import { upgradeStorage } from './upgrade';
import { updateUnauthorizedWatch, registerUnauthorizedWatch } from './unauthorized';
import { registerSentFromTabListeners, sentFromTab } from './sent-from-tab';

type Handlers = { [K in RequestType]: (request: BackgroundApi[K]['request']) => Promise<BackgroundApi[K]['response']> };

const handlers: Handlers = {
  connect: ({ providerId, scopeOption }) => connect(providerId, scopeOption),
  reconnect: ({ accountId }) => reconnect(accountId),
  cancelDeviceSignIn: async ({ id }) => {
    await cancelDeviceSignIn(id);
    return null;
  },
  disconnect: ({ accountId }) => disconnect(accountId),
  renameAccount: ({ accountId, label }) => renameAccount(accountId, label),
  refresh: async ({ accountId }) => {
    await renew(accountId, 'user');
    return null;
  },
  importProviders: ({ json, confirmed }) => importProviders(json, confirmed),
  addPastedToken: ({ providerId, accessToken, expiresIn }) => addPastedToken(providerId, accessToken, expiresIn),
  removeProvider: ({ providerId }) => removeProvider(providerId),
  approveSite: ({ accountId, origin }) => approveSite(accountId, origin),
  removeSite: ({ accountId, origin }) => removeSite(accountId, origin),
  useOnTab: ({ accountId, tabId, origin }) => useOnTab(accountId, tabId, origin),
  stopUsingOnTab: ({ accountId, tabId }) => stopUsingOnTab(accountId, tabId),
  sentFromTab: ({ tabId }) => sentFromTab(tabId),
  dismissError: async () => {
    await setLastError(null);
    return null;
  },
};

/** Only the extension's own pages may ask; web pages and content scripts cannot. */
function fromOwnPage(sender: Browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL(''));
}

async function handle(received: unknown): Promise<Result<unknown>> {
  const parsed = parseRequest(received);
  if (!parsed.ok) return parsed;
  const message = parsed.value;
  // Own properties only: an inherited name such as "constructor" is no handler.
  if (!Object.hasOwn(handlers, message.type)) return { ok: false, error: `Unknown request "${message.type}". Nothing was changed.` };
  const handler = handlers[message.type] as (request: Message) => Promise<unknown>;
  try {
    const value = await handler(message);
    // A connect that worked clears the error an earlier attempt left for the popup.
    if (message.type === 'connect' || message.type === 'reconnect') await setLastError(null);
    return { ok: true, value };
  } catch (error) {
    const text = error instanceof UserFacingError ? error.message : UNEXPECTED_PROBLEM;
    if (!(error instanceof UserFacingError)) console.error('TokenTap: unexpected error in', message.type, (error as Error)?.name);
    if (message.type === 'connect' || message.type === 'reconnect') await setLastError(text);
    return { ok: false, error: text };
  }
}

function onMessage(message: unknown, sender: Browser.Runtime.MessageSender, sendResponse: (answer: unknown) => void): boolean {
  if (!fromOwnPage(sender)) return false;
  // `true` keeps the channel open for the answer: the one way both browsers understand.
  void handle(message).then(sendResponse);
  return true;
}
browser.runtime.onMessage.addListener(onMessage as Browser.Runtime.OnMessageListener);

// Sign-ins in a tab (tab mode): redirect-page captures, closed sign-in tabs, the content script's registration.
registerTabFlowListeners();
registerSignInRecovery();
// Device sign-ins poll on from storage.session when the worker (re)starts, and on their alarms.
registerDeviceSignInListeners();

// Rules and renewal alarms follow storage: after every write, at browser start and install, and when the worker
// wakes (a check that costs one storage read and one getSessionRules when nothing changed).
async function applyState(state?: StoredState): Promise<void> {
  const current = state ?? (await readState());
  await syncRules(current);
  await scheduleRenewals(current);
  await updateUnauthorizedWatch(current);
}
setAfterWrite(applyState);
registerLifecycleListeners();
registerUnauthorizedWatch();
registerTabChoiceListeners();
registerSentFromTabListeners();
// Event listeners return nothing; the browser does not wait for what they start.
browser.runtime.onStartup.addListener(() => void applyState());
// Stored state from an older version is migrated at update, and at every start in case that event was missed.
browser.runtime.onInstalled.addListener(({ reason }) => {
  void (reason === 'update' ? upgradeStorage() : Promise.resolve()).then(() => applyState());
  // An update from a version that approved plain http on the open network.
  void dropOpenNetworkHttpAccess().catch((error: unknown) =>
    console.error('TokenTap: could not give back http access:', (error as Error)?.name),
  );
});
// Not awaited: a service worker may not await at top level, and its listeners are registered above.
// Tabs closed while no listener ran (the worker stopped) end their choices before the first sync.
void upgradeStorage()
  .then(() => dropClosedTabChoices())
  .then(() => applyState());
