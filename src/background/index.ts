import browser from 'webextension-polyfill';
import type { BackgroundApi, Message, RequestType, Result } from '../messages';
import { UserFacingError } from '../messages';
import { setLastError } from '../storage/session';
import { connect } from './connect';
import { disconnect } from './disconnect';
import { importProviders } from './providers';

type Handlers = { [K in RequestType]: (request: BackgroundApi[K]['request']) => Promise<BackgroundApi[K]['response']> };

const handlers: Handlers = {
  connect: ({ providerId }) => connect(providerId),
  disconnect: ({ accountId }) => disconnect(accountId),
  importProviders: ({ json }) => importProviders(json),
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
