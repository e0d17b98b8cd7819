import { browser } from '../platform';
import { useState } from 'preact/hooks';
import { accountWithProvider, providerOf } from '../accounts/account-provider';
import type { Provider } from '../providers/model';
import { request } from '../messages';
import { useActiveSiteOrigin, useInjectionProblems, useLastError, useMissingHostAccess, useNow, useStoredState } from '../ui/hooks';
import {
  accessRefusedMessage,
  endpointsRefusedMessage,
  hostNames,
  hostsNeeded,
  missingAccessNote,
  providerEndpoints,
  requestHostAccess,
  requestSiteAccess,
} from '../ui/permissions';
import { activeSiteNote, openNetworkHttpRefusal } from '../inject/site-scope';
import { useModuleAfterPaint } from '../ui/later-module';
import { AccountItem, SITE_NOTE_ID } from './AccountItem';
import { ConnectProvider } from './ConnectProvider';
import { deviceSignIns } from './device-sign-ins-loader';
import { sentFromTab } from './sent-from-tab-loader';

export function Popup() {
  const state = useStoredState();
  const lastError = useLastError();
  const injectionProblems = useInjectionProblems();
  const site = useActiveSiteOrigin();
  const now = useNow();
  const [busy, setBusy] = useState<string>();
  const [notice, setNotice] = useState<string>();
  // The popup may close while a sign-in runs, so errors come back through storage (lastError)
  // as well as here; `failure` covers requests that fail before the background can record them.
  const [failure, setFailure] = useState<string>();
  const DeviceSignIns = useModuleAfterPaint(deviceSignIns)?.DeviceSignIns;
  const SentFromTab = useModuleAfterPaint(sentFromTab)?.SentFromTab;
  const needed = hostsNeeded(state);
  const missingAccess = useMissingHostAccess(needed);
  if (!state) return null;
  const providerOfAccount = (accountId: string) => accountWithProvider(state, accountId)?.provider;
  /**
   * First thing in a click that makes the background call the provider (Firefox prompts only from
   * the user's action itself): access to its token endpoints. Resolves false, and says why, if refused.
   */
  const endpointsAllowed = async (provider: Provider | undefined) => {
    const endpoints = provider ? providerEndpoints(provider) : [];
    if (await requestHostAccess(endpoints)) return true;
    setFailure(endpointsRefusedMessage(provider!.name, endpoints));
    return false;
  };

  // The buttons run these with `void`: Preact ignores a handler's result, and each shows its own outcome.
  const connect = async (providerId: string, scopeOption?: string) => {
    const allowed = endpointsAllowed(providerOf(state.providers, providerId));
    setBusy(providerId);
    setFailure(undefined);
    setNotice(undefined);
    if (!(await allowed)) return setBusy(undefined);
    const result = await request('connect', { providerId, ...(scopeOption !== undefined && { scopeOption }) });
    setBusy(undefined);
    if (result.ok) setNotice('accountId' in result.value ? 'Connected.' : 'Approve the sign-in with the user code below.');
  };
  const disconnect = async (accountId: string) => {
    setFailure(undefined);
    setNotice(undefined);
    const result = await request('disconnect', { accountId });
    setNotice(result.ok ? 'Disconnected. Its token is forgotten.' : undefined);
    if (!result.ok) setFailure(result.error);
  };
  const refresh = async (accountId: string) => {
    const allowed = endpointsAllowed(providerOfAccount(accountId));
    setFailure(undefined);
    setNotice(undefined); // an old notice must not stand for this click's result
    if (!(await allowed)) return;
    const result = await request('refresh', { accountId });
    return result.ok ? setNotice('Refreshed: a new access token is in use.') : setFailure(result.error);
  };
  const reconnect = async (accountId: string) => {
    const allowed = endpointsAllowed(providerOfAccount(accountId));
    setFailure(undefined);
    setNotice(undefined); // an old notice must not stand for this click's result
    if (!(await allowed)) return;
    const result = await request('reconnect', { accountId });
    if (result.ok)
      setNotice('accountId' in result.value ? 'Reconnected: a new token is in use.' : 'Approve the sign-in with the user code below.');
  };
  const toggleSite = async (accountId: string, approved: boolean) => {
    if (!site) return;
    setFailure(undefined);
    setNotice(undefined);
    if (approved) {
      const result = await request('removeSite', { accountId, origin: site });
      return result.ok ? setNotice(`Stopped using the token on ${site}.`) : setFailure(result.error);
    }
    // Before any prompt: a site that cannot be approved must not ask for access.
    const refusal = openNetworkHttpRefusal(site);
    if (refusal !== undefined) return setFailure(`${refusal} Nothing was changed.`);
    const apiBaseUrls = providerOfAccount(accountId)?.apiBaseUrls ?? [];
    // First thing in the click: Firefox only prompts from the user's action itself.
    if (!(await requestSiteAccess([site, ...apiBaseUrls]))) {
      return setFailure(accessRefusedMessage(site));
    }
    const result = await request('approveSite', { accountId, origin: site });
    return result.ok ? setNotice(`Using the token on ${result.value.origin}.`) : setFailure(result.error);
  };
  const allowAccess = async (accountId: string) => {
    const urls = needed[accountId] ?? [];
    if (!(await requestHostAccess(urls))) {
      return setFailure(`TokenTap is still not allowed to reach ${hostNames(missingAccess[accountId] ?? [])}. Nothing was changed.`);
    }
    setFailure(undefined);
    setNotice(`TokenTap may reach ${hostNames(missingAccess[accountId] ?? [])} again.`);
  };
  const cancelDeviceSignIn = async (id: string) => {
    setFailure(undefined);
    const result = await request('cancelDeviceSignIn', { id });
    return result.ok ? setNotice('Sign-in cancelled. Nothing was changed.') : setFailure(result.error);
  };
  const dismiss = () => {
    setFailure(undefined);
    // The alert is gone already; `request` never rejects.
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
            Open <strong>Options</strong> and paste your provider JSON (its authorization URL, client ID and API base URLs) into{' '}
            <strong>Provider JSON</strong>, then <strong>Import</strong>. Register the Redirect URL shown there at the provider.
          </p>
          <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
            Open options
          </button>
        </section>
      ) : (
        <section class="connect" aria-label="Connect">
          {state.providers.map((provider) => (
            <ConnectProvider
              key={provider.id}
              provider={provider}
              disabled={busy !== undefined}
              busy={busy === provider.id}
              onConnect={(scopeOption) => void connect(provider.id, scopeOption)}
            />
          ))}
        </section>
      )}
      {DeviceSignIns && (
        <DeviceSignIns providers={state.providers} now={now} onCancel={(id) => void cancelDeviceSignIn(id)} onNotice={setNotice} />
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
                provider={providerOf(state.providers, account.providerId)}
                now={now}
                site={site}
                approvedHere={site !== undefined && state.approvals.some((a) => a.accountId === account.id && a.origin === site)}
                approvedCount={state.approvals.filter((a) => a.accountId === account.id).length}
                missingAccess={account.id in missingAccess ? missingAccessNote(missingAccess[account.id] ?? []) : undefined}
                injectionProblems={injectionProblems[account.id]}
                onAllowAccess={() => void allowAccess(account.id)}
                onToggleSite={(approved) => void toggleSite(account.id, approved)}
                onRefresh={() => void refresh(account.id)}
                onReconnect={() => void reconnect(account.id)}
                onDisconnect={() => void disconnect(account.id)}
                onNotice={setNotice}
              />
            ))}
          </ul>
          {site && state.accounts.length > 0 && (
            <p role="note" id={SITE_NOTE_ID} class="muted">
              {activeSiteNote(site)}
            </p>
          )}
        </section>
      )}
      {SentFromTab && state.accounts.length > 0 && <SentFromTab />}
    </main>
  );
}
