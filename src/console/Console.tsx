import { accountName, providerOf } from '../accounts/account-provider';
import { useNow } from '../ui/hooks';
import { accountOf } from './account-of';
import { accountWarning } from './account-warning';
import { CopyAs } from './CopyAs';
import { METHODS } from './exchange';
import { History } from './History';
import { PageControls } from './PageControls';
import { ResponseView } from './ResponseView';
import { useConsole } from './use-console';

/** The console page: the request form, the answer with its pages and Copy as, and History (use-console.ts holds their state). */
export function Console() {
  const { state, form, edit, chooseAccount, busy, failure, exchange, history, send, goToPage, pick, tokenFor } = useConsole();
  const now = useNow();
  if (!state) return null;
  const { account, provider } = accountOf(state, form.accountId);
  const warning = account && accountWarning(account, provider?.name ?? account.providerId, now);

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
          <select id="account" value={form.accountId} onChange={(event) => chooseAccount(event.currentTarget.value)}>
            {state.accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountName(a, providerOf(state.providers, a.providerId))}
              </option>
            ))}
          </select>
          <label for="method">Method</label>
          <select id="method" value={form.method} onChange={(event) => edit({ method: event.currentTarget.value })}>
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
            value={form.url}
            onInput={(event) => edit({ url: event.currentTarget.value })}
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
          value={form.headerText}
          onInput={(event) => edit({ headerText: event.currentTarget.value })}
        />
        <label for="body">Body</label>
        <textarea id="body" rows={5} spellcheck={false} value={form.body} onInput={(event) => edit({ body: event.currentTarget.value })} />
        <p id="send-keys" class="muted">
          Ctrl+Enter (⌘+Enter on a Mac) sends from any field.
        </p>
      </form>
      <History entries={history} onPick={pick} />
      {failure && (
        <div role="alert" class="alert">
          <p>{failure}</p>
        </div>
      )}
      <section class="console-response" aria-label="Response" aria-busy={busy}>
        {exchange ? (
          <ResponseView request={exchange.request} response={exchange.response} note={exchange.note}>
            <PageControls pages={exchange.pages} onGo={goToPage} />
            <CopyAs request={exchange.request} header={exchange.header} getToken={() => tokenFor(exchange.request.accountId)} />
          </ResponseView>
        ) : (
          <p class="muted">Nothing sent yet.</p>
        )}
      </section>
    </main>
  );
}
