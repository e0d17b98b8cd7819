import browser from 'webextension-polyfill';
import { useState } from 'preact/hooks';
import { request } from '../messages';
import { useLastError, useNow, useStoredState } from '../ui/hooks';
import { AccountItem } from './AccountItem';

export function Popup() {
  const state = useStoredState();
  const lastError = useLastError();
  const now = useNow();
  const [busy, setBusy] = useState<string>();
  const [notice, setNotice] = useState<string>();
  // The popup may close while a sign-in runs, so errors come back through storage (lastError)
  // as well as here; `failure` covers requests that fail before the background can record them.
  const [failure, setFailure] = useState<string>();
  if (!state) return null;

  const connect = async (providerId: string) => {
    setBusy(providerId);
    setFailure(undefined);
    setNotice(undefined);
    const result = await request('connect', { providerId });
    setBusy(undefined);
    if (result.ok) setNotice('Connected.');
  };
  const disconnect = async (accountId: string) => {
    const result = await request('disconnect', { accountId });
    setNotice(result.ok ? 'Disconnected. Its token is forgotten.' : undefined);
    if (!result.ok) setFailure(result.error);
  };
  const dismiss = () => {
    setFailure(undefined);
    void request('dismissError', {});
  };
  const error = failure ?? lastError?.message;

  return (
    <main>
      <header class="bar">
        <h1>TokenTap</h1>
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      {error && (
        <div role="alert" class="alert">
          <p>{error}</p>
          <button type="button" class="link" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {notice && !error && (
        <p role="status" class="status">
          {notice}
        </p>
      )}
      {state.providers.length === 0 ? (
        <section class="empty">
          <h2>Add a provider to start</h2>
          <p>
            Open <strong>Options</strong> and paste your provider JSON (its authorization URL, client ID and API base
            URLs) into <strong>Provider JSON</strong>, then <strong>Import</strong>. Register the Redirect URL shown
            there at the provider.
          </p>
          <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
            Open options
          </button>
        </section>
      ) : (
        <section class="connect" aria-label="Connect">
          {state.providers.map((provider) => (
            <button
              type="button"
              key={provider.id}
              disabled={busy !== undefined}
              aria-busy={busy === provider.id}
              onClick={() => void connect(provider.id)}
            >
              Connect {provider.name}
            </button>
          ))}
        </section>
      )}
      {state.providers.length > 0 && (
        <section>
          <h2 id="accounts-heading">Accounts</h2>
          {state.accounts.length === 0 && <p class="muted">No account connected yet. Use a Connect button above.</p>}
          <ul aria-labelledby="accounts-heading" class="accounts">
            {state.accounts.map((account) => (
              <AccountItem
                key={account.id}
                account={account}
                provider={state.providers.find((p) => p.id === account.providerId)}
                now={now}
                onDisconnect={() => void disconnect(account.id)}
                onNotice={setNotice}
              />
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
