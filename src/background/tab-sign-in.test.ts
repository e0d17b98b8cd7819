import { describe, expect, it } from 'vitest';
import { findTabSignIn, type TabSignIn } from './tab-sign-in';

const PAGE = 'http://127.0.0.1:8710/oauth/token-page';
const signIn = (state: string, tabId: number): TabSignIn => ({
  pending: { providerId: 'readycloud-tab', state, redirectUri: PAGE, createdAt: 0 },
  tabId,
});
const A = signIn('state-a', 11);
const B = signIn('state-b', 12);
const from = (tabId: number, url: string = PAGE) => ({ tabId, frameUrl: url, tabUrl: url });

describe('findTabSignIn', () => {
  it('finds the sign-in by the state in the fragment or the query, from its own tab', () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=t&token_type=Bearer&state=state-b`, from(12))).toBe(B);
    expect(findTabSignIn([A, B], `${PAGE}?code=c&state=state-a`, from(11))).toBe(A);
  });

  it('ignores a known state sent from another tab', () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=forged&token_type=Bearer&state=state-a`, from(12, PAGE))).toBeUndefined();
    expect(findTabSignIn([A], `${PAGE}#access_token=forged&token_type=Bearer&state=state-a`, from(99))).toBeUndefined();
  });

  it('ignores an unknown state from a tab that runs no sign-in', () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=t&token_type=Bearer&state=other`, from(99))).toBeUndefined();
  });

  it("gives an unknown or missing state from a sign-in's own tab to that sign-in (parseRedirect refuses it)", () => {
    expect(findTabSignIn([A, B], `${PAGE}#access_token=t&token_type=Bearer&state=other`, from(11))).toBe(A);
    expect(findTabSignIn([A, B], `${PAGE}#error=access_denied`, from(12))).toBe(B);
  });

  it('requires the captured address, the frame and the tab to be on the redirect page', () => {
    const url = `${PAGE}#access_token=t&token_type=Bearer&state=state-a`;
    const elsewhere = 'http://127.0.0.1:8710/oauth/authorize?state=state-a';
    expect(findTabSignIn([A], `http://127.0.0.1:8711/oauth/token-page#state=state-a`, from(11))).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: elsewhere, tabUrl: PAGE })).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: PAGE, tabUrl: elsewhere })).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: PAGE, tabUrl: undefined })).toBeUndefined();
    expect(findTabSignIn([A], url, { tabId: 11, frameUrl: 'chrome-extension://x/src/popup/index.html', tabUrl: PAGE })).toBeUndefined();
  });

  it('finds nothing without sign-ins or with an address that does not parse', () => {
    expect(findTabSignIn([], `${PAGE}#state=state-a`, from(11))).toBeUndefined();
    expect(findTabSignIn([B], 'not a url', from(11))).toBeUndefined();
  });
});
