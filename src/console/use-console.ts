// The console page's state and actions (README "Console"): the request form, Send, the answer
// with its pages and the header Copy as writes, and History. Console.tsx only shows them.
import { useEffect, useState } from 'preact/hooks';
import { sentToken } from '../accounts/account';
import { addToConsoleHistory, historyEntry, onConsoleHistoryChanged, readConsoleHistory, type HistoryEntry } from '../storage/console-history';
import { readState, type StoredState } from '../storage/read-state';
import { useStoredState } from '../ui/hooks';
import { hostNames, hostPatterns, providerEndpoints, requestHostAccess } from '../ui/permissions';
import type { AddedHeader } from './copy-as';
import type { ConsoleRequest, ConsoleResponse } from './exchange';
import { headerLines, parseHeaderLines } from './header-lines';
import { accountOpenedFor } from './page';
import { findPages, type Pages } from './pagination';
import { prepareRequest, RequestProblem } from './send';
import { accountOf } from './account-of';
import { sendWithRenewal } from './send-with-renewal';

/** The account the page was opened for (Try it in the popup): `?account=<id>`. */
const OPENED_FOR = accountOpenedFor(location.search);

/** The form as typed: Headers as its text, read when sent. */
export interface RequestForm {
  accountId: string;
  method: string;
  url: string;
  headerText: string;
  body: string;
}

/** One request sent and its answer, with what the tools around it need. */
export interface Exchange {
  request: ConsoleRequest;
  response: ConsoleResponse;
  /** Whether the token went, and what a 401 did (never the token). */
  note: string;
  /** Next page and Previous page, when the answer is paginated. */
  pages: Pages | undefined;
  /** The account's header the request carried, for Copy as; undefined when it carried none. */
  header: AddedHeader | undefined;
}

/** Where the URL starts for an account: its provider's first API base URL. */
const startUrl = (state: StoredState | undefined, accountId: string) => accountOf(state, accountId).provider?.apiBaseUrls[0] ?? '';

/** Every token the page holds, so History can take out one pasted into a request. */
const allTokens = (state: StoredState | undefined) =>
  (state?.accounts ?? []).flatMap((a) => [a.accessToken, a.refreshToken ?? '', a.idToken ?? '']).filter((token) => token !== '');

export function useConsole() {
  const state = useStoredState();
  const [form, setForm] = useState<RequestForm>({ accountId: OPENED_FOR, method: 'GET', url: '', headerText: '', body: '' });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [exchange, setExchange] = useState<Exchange>();
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const edit = (change: Partial<RequestForm>) => setForm((current) => ({ ...current, ...change }));

  // Once storage is read: the account asked for (else the first) and its API base URL.
  useEffect(() => {
    if (!state || form.url !== '') return;
    const chosen = state.accounts.some((a) => a.id === form.accountId) ? form.accountId : (state.accounts[0]?.id ?? '');
    edit({ accountId: chosen, url: startUrl(state, chosen) });
  }, [state]);

  useEffect(() => {
    void readConsoleHistory().then(setHistory);
    return onConsoleHistoryChanged(setHistory);
  }, []);

  const chooseAccount = (next: string) => {
    // A URL still at the old account's start follows the account; one the user typed stays.
    edit({ accountId: next, ...(form.url === startUrl(state, form.accountId) && { url: startUrl(state, next) }) });
  };

  /** Puts `request` in the form, as it would be typed. */
  const fill = (request: ConsoleRequest) =>
    edit({
      ...(state?.accounts.some((a) => a.id === request.accountId) && { accountId: request.accountId }),
      method: request.method,
      url: request.url,
      headerText: headerLines(request.headers),
      body: request.body,
    });

  /** Sends `typed`; must run in the click or key press itself, where Firefox lets the page ask for host access. */
  const sendRequest = (typed: ConsoleRequest) => {
    if (busy) return;
    setFailure(undefined);
    const { account, provider } = accountOf(state, typed.accountId);
    let prepared: ReturnType<typeof prepareRequest>;
    try {
      prepared = prepareRequest(typed, account, provider);
    } catch (error) {
      return setFailure(error instanceof RequestProblem ? error.message : 'TokenTap could not prepare this request. Nothing was sent.');
    }
    // The page's requests are free of CORS only where TokenTap has host access; a 401's renewal needs the token endpoints.
    const hosts = [prepared.url, ...(prepared.withToken && provider ? providerEndpoints(provider) : [])];
    const allowed = requestHostAccess(hosts);
    void (async () => {
      if (!(await allowed)) {
        return setFailure(
          `TokenTap may not reach ${hostNames(hostPatterns(hosts))}: allow it when the browser asks, then Send again. Nothing was sent.`,
        );
      }
      setBusy(true);
      // History is a convenience: a session area that refuses the entry must not stop the request.
      void addToConsoleHistory(historyEntry(typed, provider?.header.name, allTokens(state), Date.now())).catch(() => undefined);
      try {
        const { response, note } = await sendWithRenewal(typed, prepared, account, provider);
        const pages = findPages(
          response.url || prepared.url,
          response.headers,
          response.body.kind === 'json' ? response.body.value : undefined,
        );
        const header = prepared.withToken && provider ? { name: provider.header.name, prefix: provider.header.prefix } : undefined;
        setExchange({ request: typed, response, note, pages, header });
      } catch (error) {
        setFailure(error instanceof RequestProblem ? error.message : 'TokenTap could not read the answer.');
      } finally {
        setBusy(false);
      }
    })();
  };

  return {
    state,
    form,
    edit,
    chooseAccount,
    busy,
    failure,
    exchange,
    history,
    /** Send: the form as typed. */
    send: () => {
      const parsed = parseHeaderLines(form.headerText);
      if ('error' in parsed) return setFailure(`${parsed.error} Nothing was sent.`);
      sendRequest({ accountId: form.accountId, method: form.method, url: form.url, headers: parsed.headers, body: form.body });
    },
    /** Next page or Previous page: the answered request again at `url`, shown in the form too. */
    goToPage: (url: string) => {
      if (!exchange) return;
      const request = { ...exchange.request, url };
      fill(request);
      sendRequest(request);
    },
    /** A History entry back in the form, to change or send again. */
    pick: (entry: HistoryEntry) => {
      fill(entry);
      document.getElementById('url')?.focus();
    },
    /** The token Copy as puts in a snippet when Include token is checked, read afresh. */
    tokenFor: async (accountId: string) => {
      const { account, provider } = accountOf(await readState(), accountId);
      const token = account && sentToken(account, provider);
      if (!account || !token) throw new Error('the account holds no token now. Press Reconnect in the popup, then send again.');
      return token;
    },
  };
}
