import { useEffect, useState } from 'preact/hooks';
import type { Account } from '../accounts/account';
import { request as askBackground } from '../messages';
import type { Provider } from '../providers/model';
import { readState, type StoredState } from '../storage/read-state';
import { useNow, useStoredState } from '../ui/hooks';
import { hostNames, hostPatterns, providerEndpoints, requestHostAccess } from '../ui/permissions';
import { accountWarning } from './account-warning';
import { METHODS, type ConsoleRequest, type ConsoleResponse } from './exchange';
import { parseHeaderLines } from './header-lines';
import { accountOpenedFor } from './page';
import { ResponseView } from './ResponseView';
import { prepareRequest, RequestProblem, sendPrepared } from './send';

/** The account the page was opened for (Try it in the popup): `?account=<id>`. */
const OPENED_FOR = accountOpenedFor(location.search);

interface Exchange {
  request: ConsoleRequest;
  response: ConsoleResponse;
  note: string;
}

const accountOf = (state: StoredState | undefined, accountId: string) => {
  const account = state?.accounts.find((a) => a.id === accountId);
  return { account, provider: state?.providers.find((p) => p.id === account?.providerId) };
};
const accountName = (account: Account, provider: Provider | undefined) => `${provider?.name ?? account.providerId} ${account.label}`;
/** Where the URL starts for an account: its provider's first API base URL. */
const startUrl = (state: StoredState | undefined, accountId: string) => accountOf(state, accountId).provider?.apiBaseUrls[0] ?? '';

export function Console() {
  const state = useStoredState();
  const now = useNow();
  const [accountId, setAccountId] = useState(OPENED_FOR);
  const [method, setMethod] = useState<string>('GET');
  const [url, setUrl] = useState('');
  const [headerText, setHeaderText] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [exchange, setExchange] = useState<Exchange>();

  // Once storage is read: the account asked for (else the first) and its API base URL.
  useEffect(() => {
    if (!state || url !== '') return;
    const chosen = state.accounts.some((a) => a.id === accountId) ? accountId : (state.accounts[0]?.id ?? '');
    setAccountId(chosen);
    setUrl(startUrl(state, chosen));
  }, [state]);

  if (!state) return null;
  const { account, provider } = accountOf(state, accountId);
  const warning = account && accountWarning(account, provider?.name ?? account.providerId, now);

  const chooseAccount = (next: string) => {
    // A URL still at the old account's start follows the account; one the user typed stays.
    if (url === startUrl(state, accountId)) setUrl(startUrl(state, next));
    setAccountId(next);
  };

  const send = () => {
    if (busy) return;
    setFailure(undefined);
    const parsed = parseHeaderLines(headerText);
    if ('error' in parsed) return setFailure(`${parsed.error} Nothing was sent.`);
    const typed: ConsoleRequest = { accountId, method, url, headers: parsed.headers, body };
    let prepared: ReturnType<typeof prepareRequest>;
    try {
      prepared = prepareRequest(typed, account, provider);
    } catch (error) {
      return setFailure(error instanceof RequestProblem ? error.message : 'TokenTap could not prepare this request. Nothing was sent.');
    }
    // First thing in the click: Firefox prompts only from the user's action itself. The page's
    // requests are free of CORS only where TokenTap has host access; a 401's renewal needs the token endpoints.
    const hosts = [prepared.url, ...(prepared.withToken && provider ? providerEndpoints(provider) : [])];
    const allowed = requestHostAccess(hosts);
    void sendAndRenew(typed, prepared, allowed, hosts);
  };

  const sendAndRenew = async (
    typed: ConsoleRequest,
    prepared: ReturnType<typeof prepareRequest>,
    allowed: Promise<boolean>,
    hosts: string[],
  ) => {
    if (!(await allowed)) {
      return setFailure(
        `TokenTap may not reach ${hostNames(hostPatterns(hosts))}: allow it when the browser asks, then Send again. Nothing was sent.`,
      );
    }
    setBusy(true);
    try {
      let response = await sendPrepared(prepared);
      let note = prepared.tokenNote;
      // As the background's 401 watch does: renew the token once, and send once more with the new one.
      if (response.status === 401 && prepared.withToken && account) {
        const name = accountName(account, provider);
        const renewed = await askBackground('refresh', { accountId: account.id });
        if (renewed.ok) {
          const fresh = accountOf(await readState(), account.id);
          const again = prepareRequest(typed, fresh.account, fresh.provider);
          response = await sendPrepared(again);
          note = `The API answered 401 Unauthorized: TokenTap renewed ${name}'s token and sent the request once more. ${again.tokenNote}`;
        } else {
          note = `The API answered 401 Unauthorized, and renewing ${name}'s token failed: ${renewed.error}`;
        }
      }
      setExchange({ request: typed, response, note });
    } catch (error) {
      setFailure(error instanceof RequestProblem ? error.message : 'TokenTap could not read the answer.');
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  };

  return (
    <main>
      <header class="bar">
        <h1>TokenTap console</h1>
      </header>
      {state.accounts.length === 0 && <p class="muted">No account connected yet: connect one in the popup, then press Try it on it.</p>}
      <form
        class="console-request"
        aria-label="Request"
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <div class="request-line">
          <label for="account">Account</label>
          <select id="account" value={accountId} onChange={(event) => chooseAccount(event.currentTarget.value)}>
            {state.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountName(
                  a,
                  state.providers.find((p) => p.id === a.providerId),
                )}
              </option>
            ))}
          </select>
          <label for="method">Method</label>
          <select id="method" value={method} onChange={(event) => setMethod(event.currentTarget.value)}>
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </div>
        <div class="request-line">
          <label for="url">URL</label>
          <input
            id="url"
            class="url"
            inputMode="url"
            spellcheck={false}
            autoComplete="off"
            value={url}
            onInput={(event) => setUrl(event.currentTarget.value)}
          />
          <button type="submit" disabled={busy} aria-describedby={warning ? 'account-warning send-keys' : 'send-keys'}>
            {busy ? 'Sending…' : 'Send'}
          </button>
        </div>
        {provider && (
          <p class="muted">Only URLs under {provider.apiBaseUrls.join(', ')} get the account's token; any other is sent without it.</p>
        )}
        {warning && (
          <p role="note" id="account-warning" class="problem">
            {warning}
          </p>
        )}
        <label for="headers">Headers</label>
        <textarea
          id="headers"
          rows={3}
          spellcheck={false}
          placeholder="Accept: application/json"
          value={headerText}
          onInput={(event) => setHeaderText(event.currentTarget.value)}
        />
        <label for="body">Body</label>
        <textarea id="body" rows={5} spellcheck={false} value={body} onInput={(event) => setBody(event.currentTarget.value)} />
        <p id="send-keys" class="muted">
          Ctrl+Enter (⌘+Enter on a Mac) sends from any field.
        </p>
      </form>
      {failure && (
        <div role="alert" class="alert">
          <p>{failure}</p>
        </div>
      )}
      <section class="console-response" aria-label="Response" aria-busy={busy}>
        {exchange ? (
          <ResponseView request={exchange.request} response={exchange.response} note={exchange.note} />
        ) : (
          <p class="muted">Nothing sent yet.</p>
        )}
      </section>
    </main>
  );
}
