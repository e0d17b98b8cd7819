import { describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import { PROVIDER_GONE } from './refusals';
import { findTabSignIn, foreignPageMessage, judgeCapture, signInInTab, type TabSignIn } from './tab-sign-in';

const PAGE = 'http://127.0.0.1:8710/oauth/token-page';
/** Another tab-mode provider's redirect page. */
const OTHER_PAGE = 'http://localhost:8730/callback';
const signIn = (state: string, tabId: number, providerId = 'readycloud-tab', redirectUri = PAGE): TabSignIn => ({
  pending: { providerId, state, redirectUri, createdAt: 0 },
  tabId,
});
const A = signIn('state-a', 11);
const B = signIn('state-b', 12);
const PAGES = [{ providerId: 'readycloud-tab', redirectUri: PAGE }];
const from = (tabId: number, url: string = PAGE) => ({ tabId, frameUrl: url, tabUrl: url });
const answer = (s: TabSignIn) => ({ kind: 'answer', signIn: s });

describe('findTabSignIn', () => {
  it('finds the sign-in by the state in the fragment or the query, from its own tab', () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=t&token_type=Bearer&state=state-b`, from(12), PAGES)).toEqual(answer(B));
    expect(findTabSignIn([A, B], `${PAGE}?code=c&state=state-a`, from(11), PAGES)).toEqual(answer(A));
  });

  it('ignores a known state sent from another tab', () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=forged&token_type=Bearer&state=state-a`, from(12, PAGE), PAGES)).toBeUndefined();
    expect(findTabSignIn([A], `${PAGE}#access_token=forged&token_type=Bearer&state=state-a`, from(99), PAGES)).toBeUndefined();
  });

  it('ignores an unknown state from a tab that runs no sign-in', () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=t&token_type=Bearer&state=other`, from(99), PAGES)).toBeUndefined();
  });

  it("gives an unknown or missing state from a sign-in's own tab to that sign-in (parseRedirect refuses it)", () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=t&token_type=Bearer&state=other`, from(11), PAGES)).toEqual(answer(A));
    expect(findTabSignIn([A, B], `${PAGE}#error=access_denied`, from(12), PAGES)).toEqual(answer(B));
  });

  it('requires the captured address, the frame and the tab to be on the redirect page', () => {
    const url = `${PAGE}#access_token=t&token_type=Bearer&state=state-a`;
    const elsewhere = 'http://127.0.0.1:8710/oauth/authorize?state=state-a';
    expect(findTabSignIn([A], `http://127.0.0.1:8711/oauth/token-page#state=state-a`, from(11), PAGES)).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: elsewhere, tabUrl: PAGE }, PAGES)).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: PAGE, tabUrl: elsewhere }, PAGES)).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: PAGE, tabUrl: undefined }, PAGES)).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: 'chrome-extension://x/src/popup/index.html', tabUrl: PAGE }, PAGES)).toBeUndefined();
  });

  it('finds nothing without sign-ins or with an address that does not parse', () => {
    expect(findTabSignIn([], `${PAGE}#state=state-a`, from(11), PAGES)).toBeUndefined();
    expect(findTabSignIn([B], 'not a url', from(11), PAGES)).toBeUndefined();
  });
});

describe("findTabSignIn: an answer counts only on its own provider's page (mix-up)", () => {
  // Two tab-mode providers: a forwarder whose page is OTHER_PAGE, and ReadyCloud on PAGE.
  const pages = [
    { providerId: 'forwarder', redirectUri: OTHER_PAGE },
    { providerId: 'readycloud-tab', redirectUri: PAGE },
  ];
  const forwarding = signIn('state-f', 21, 'forwarder', OTHER_PAGE);

  it("a capture on ReadyCloud's page, in the forwarder's sign-in tab with its state, is foreign: it ends that sign-in, it is not its answer", () => {
    const captured = `${PAGE}#access_token=readycloud-token&token_type=Bearer&state=state-f`;
    expect(findTabSignIn([forwarding, A], captured, from(21), pages)).toEqual({
      kind: 'foreign',
      signIn: forwarding,
      owners: ['readycloud-tab'],
      shared: false,
    });
    // Without the state, by its tab, the same.
    expect(findTabSignIn([forwarding], `${PAGE}#access_token=t&token_type=Bearer`, from(21), pages)).toMatchObject({
      kind: 'foreign',
      owners: ['readycloud-tab'],
    });
  });

  it("ReadyCloud's own sign-in still gets its answer on its page while the forwarder's is pending", () => {
    expect(findTabSignIn([forwarding, A], `${PAGE}#access_token=t&token_type=Bearer&state=state-a`, from(11), pages)).toEqual(answer(A));
    expect(findTabSignIn([forwarding, A], `${OTHER_PAGE}?code=c&state=state-f`, from(21, OTHER_PAGE), pages)).toEqual(answer(forwarding));
  });

  it('a page two providers claim belongs to neither: whose answer it is cannot be told', () => {
    const claiming = signIn('state-c', 31, 'claims-readycloud-page', PAGE);
    const shared = [...pages, { providerId: 'claims-readycloud-page', redirectUri: PAGE }];
    const captured = `${PAGE}#access_token=readycloud-token&token_type=Bearer&state=state-c`;
    expect(findTabSignIn([claiming], captured, from(31), shared)).toEqual({
      kind: 'foreign',
      signIn: claiming,
      owners: ['readycloud-tab'],
      shared: true,
    });
    expect(findTabSignIn([A], `${PAGE}#access_token=t&token_type=Bearer&state=state-a`, from(11), shared)).toMatchObject({
      kind: 'foreign',
      shared: true,
    });
  });

  it('a capture on a page no provider claims, in a sign-in tab, is ignored', () => {
    expect(
      findTabSignIn([forwarding], 'http://127.0.0.1:9999/else#state=state-f', from(21, 'http://127.0.0.1:9999/else'), pages),
    ).toBeUndefined();
  });

  it('says why in words the user can act on', () => {
    expect(foreignPageMessage('Forwarder', ['ReadyCloud'], false)).toBe(
      "The Forwarder sign-in ended on ReadyCloud's redirect page, not its own, so TokenTap ignored the answer (Forwarder may have passed the sign-in on to ReadyCloud). Nothing was changed.",
    );
    expect(foreignPageMessage('Forwarder', ['ReadyCloud'], true)).toBe(
      'The Forwarder sign-in ended on a redirect page that ReadyCloud uses too, so TokenTap cannot tell whose answer it is and ignored it. Give each provider its own redirect URI. Nothing was changed.',
    );
  });
});

describe('what ends a sign-in in a tab', () => {
  // The tab-mode ReadyCloud of the demo, and a forwarder with a page of its own, as Import makes them.
  const providers = parseProviderJson(`{ "providers": [
    { "id": "readycloud-tab", "name": "ReadyCloud (tab)", "flow": "implicit", "authorizationUrl": "http://127.0.0.1:8710/api/oauth2/authorize",
      "clientId": "burgermaker-client", "apiBaseUrls": ["http://127.0.0.1:8710/api/v1/"], "redirectMode": "tab", "redirectUri": "${PAGE}" },
    { "id": "forwarder", "name": "Forwarder", "flow": "implicit", "authorizationUrl": "http://localhost:8730/authorize",
      "clientId": "fwd", "apiBaseUrls": ["http://localhost:8730/api/"], "redirectMode": "tab", "redirectUri": "${OTHER_PAGE}" }
  ] }`);
  const pages = providers.map((p) => ({ providerId: p.id, redirectUri: p.redirectUri! }));

  it('closing a tab ends the sign-in running in it, and only that one', () => {
    expect(signInInTab([A, B], 12)).toBe(B);
    expect(signInInTab([A, B], 99)).toBeUndefined();
  });

  it('an answer on its own page finishes the sign-in with its provider', () => {
    const match = findTabSignIn([A], `${PAGE}#access_token=t&token_type=Bearer&state=state-a`, from(11), pages)!;
    expect(judgeCapture(match, providers)).toEqual({ kind: 'finish', provider: providers[0] });
  });

  it("a capture on another provider's page ends it, naming that provider", () => {
    const forwarding = signIn('state-f', 21, 'forwarder', OTHER_PAGE);
    const match = findTabSignIn([forwarding], `${PAGE}#access_token=t&token_type=Bearer&state=state-f`, from(21), pages)!;
    expect(judgeCapture(match, providers)).toEqual({ kind: 'refuse', message: foreignPageMessage('Forwarder', ['ReadyCloud (tab)'], false) });
  });

  it('an answer for a provider removed meanwhile ends the sign-in, and nothing is stored', () => {
    const match = findTabSignIn([A], `${PAGE}#access_token=t&token_type=Bearer&state=state-a`, from(11), pages)!;
    expect(judgeCapture(match, providers.slice(1))).toEqual({ kind: 'refuse', message: PROVIDER_GONE });
  });
});
