import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import { parseProviderJson } from '../providers/provider';
import { compileRules } from './rules';
import {
  isApiUrl,
  keptResponses,
  linesFromApprovals,
  linesFromMatches,
  SENT_PER_TAB,
  SENT_WINDOW_MS,
  whyNothingSent,
  type ObservedResponse,
} from './sent-from-tab';

const [readycloud, skyvault] = parseProviderJson(`{ "providers": [
  { "id": "readycloud", "name": "ReadyCloud", "flow": "implicit", "authorizationUrl": "http://127.0.0.1:8710/authorize",
    "clientId": "rc", "apiBaseUrls": ["http://127.0.0.1:8710/api/v1/"] },
  { "id": "skyvault", "name": "SkyVault", "flow": "implicit", "authorizationUrl": "http://127.0.0.1:8720/authorize",
    "clientId": "sv", "apiBaseUrls": ["http://127.0.0.1:8720/api/"] } ] }`) as [
  ReturnType<typeof parseProviderJson>[0],
  ReturnType<typeof parseProviderJson>[0],
];

const now = 10_000_000;
const ada: Account = {
  id: 'a1',
  providerId: 'readycloud',
  label: 'Ada',
  accessToken: 'rc-token',
  scopes: [],
  obtainedAt: now - 1000,
  expiresAt: now + 60_000,
};
const bob: Account = { id: 'a2', providerId: 'skyvault', label: 'Bob', accessToken: 'sv-token', scopes: [], obtainedAt: now - 1000 };
const site = 'http://localhost:3000';
const state = { providers: [readycloud, skyvault], accounts: [ada, bob], approvals: [{ accountId: 'a1', origin: site, approvedAt: 1 }] };

const response = (url: string, at: number, extra: Partial<ObservedResponse> = {}): ObservedResponse => ({
  url,
  method: 'GET',
  statusCode: 200,
  at,
  origin: site,
  ...extra,
});

describe('isApiUrl', () => {
  it('is true only under some provider’s API base URL', () => {
    expect(isApiUrl(state.providers, 'http://127.0.0.1:8710/api/v1/orders')).toBe(true);
    expect(isApiUrl(state.providers, 'http://127.0.0.1:8710/api/v2/orders')).toBe(false);
    expect(isApiUrl(state.providers, 'http://localhost:3000/app.js')).toBe(false);
  });
});

describe('keptResponses', () => {
  it('keeps the last few minutes and at most SENT_PER_TAB, newest kept', () => {
    const old = response('http://127.0.0.1:8710/api/v1/old', now - SENT_WINDOW_MS - 1);
    const many = Array.from({ length: SENT_PER_TAB + 5 }, (_, i) => response(`http://127.0.0.1:8710/api/v1/${i}`, now - 100 + i));
    const kept = keptResponses([old, ...many], now);
    expect(kept).toHaveLength(SENT_PER_TAB);
    expect(kept[0]!.url).toBe('http://127.0.0.1:8710/api/v1/5');
    expect(kept.at(-1)!.url).toBe(`http://127.0.0.1:8710/api/v1/${SENT_PER_TAB + 4}`);
  });
});

describe('linesFromMatches', () => {
  const compiled = compileRules(state);
  const ruleId = compiled.rules[0]!.id;

  it('names each matched rule’s account and takes method, URL and status from the first response since the match, newest first', () => {
    const responses = [
      response('http://127.0.0.1:8710/api/v1/orders', now - 900),
      response('http://127.0.0.1:8710/api/v1/orders/7', now - 400, { method: 'DELETE', statusCode: 401 }),
    ];
    const lines = linesFromMatches(
      state,
      compiled,
      [
        { ruleId, at: now - 500 },
        { ruleId, at: now - 950 },
      ],
      responses,
    );
    expect(lines).toEqual([
      {
        accountId: 'a1',
        account: 'ReadyCloud Ada',
        method: 'DELETE',
        url: 'http://127.0.0.1:8710/api/v1/orders/7',
        statusCode: 401,
        at: now - 500,
      },
      { accountId: 'a1', account: 'ReadyCloud Ada', method: 'GET', url: 'http://127.0.0.1:8710/api/v1/orders', statusCode: 200, at: now - 950 },
    ]);
  });

  it('shows a match with no response yet by its API base URL, and skips rules it does not know', () => {
    expect(
      linesFromMatches(
        state,
        compiled,
        [
          { ruleId, at: now },
          { ruleId: 999, at: now },
        ],
        [],
      ),
    ).toEqual([{ accountId: 'a1', account: 'ReadyCloud Ada', url: 'http://127.0.0.1:8710/api/v1/', at: now }]);
  });
});

describe('linesFromApprovals', () => {
  it('lists responses to an approved account’s API from the approved site only', () => {
    const lines = linesFromApprovals({ ...state, tabChoices: [] }, 4, [
      response('http://127.0.0.1:8710/api/v1/orders', now - 10),
      response('http://127.0.0.1:8710/api/v1/orders', now - 5, { origin: 'http://127.0.0.1:3000' }),
      response('http://127.0.0.1:8720/api/files', now - 1),
    ]);
    expect(lines.map((line) => [line.account, line.url])).toEqual([['ReadyCloud Ada', 'http://127.0.0.1:8710/api/v1/orders']]);
  });

  it('lists responses to the API of the account chosen for the tab, on that tab only, with no approval', () => {
    const tabChoices = [{ tabId: 4, accountId: 'a2', origin: site, chosenAt: 1 }];
    const responses = [response('http://127.0.0.1:8720/api/files', now - 1)];
    const lines = linesFromApprovals({ ...state, approvals: [], tabChoices }, 4, responses);
    expect(lines.map((line) => [line.account, line.url])).toEqual([['SkyVault Bob', 'http://127.0.0.1:8720/api/files']]);
    expect(linesFromApprovals({ ...state, approvals: [], tabChoices }, 5, responses)).toEqual([]);
  });
});

describe('whyNothingSent', () => {
  it('says the site is not approved for any account', () => {
    expect(whyNothingSent(state, 'http://localhost:4000', now)).toBe(
      'http://localhost:4000 is not approved for any account, so its requests get no token. Use on this site approves it for an account.',
    );
  });

  it('says the approved account is expired', () => {
    expect(whyNothingSent({ ...state, accounts: [{ ...ada, expiresAt: now - 1 }, bob] }, site, now)).toBe(
      'ReadyCloud Ada: the account is expired, so the API refuses its token. Refresh or Reconnect it.',
    );
  });

  it('says nothing went to the API base URLs, naming them', () => {
    expect(whyNothingSent(state, site, now)).toBe(
      `Nothing this tab sent in the last 5 minutes went to the API base URLs of the accounts approved for ${site} (http://127.0.0.1:8710/api/v1/); requests to other URLs get no token.`,
    );
  });

  it('says a tab without a web page sends nothing with a token', () => {
    expect(whyNothingSent(state, undefined, now)).toMatch(/no web page/);
  });
});
