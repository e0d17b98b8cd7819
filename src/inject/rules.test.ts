import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import type { Approval } from '../approvals/approval';
import { parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { PRODUCT_EXAMPLE_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { signedJwt } from '../../test/support/jwt';
import { isValidHeaderValue } from './account-header';
import {
  apiBaseUrlOf,
  buildRules,
  compileRules,
  injectionProblemsByAccount,
  MAX_SESSION_RULES,
  ORIGIN_RULE_FIRST_ID,
  ORIGIN_RULE_PRIORITY,
  originRules,
  prefixPriority,
  resolveApprovals,
  SITE_RESOURCE_TYPES,
  TAB_RULE_PRIORITY_OFFSET,
  type DnrRule,
  type InjectionInput,
} from './rules';

// The README's SkyVault example, parsed as the import would, and the local ReadyCloud-like demo provider.
const skyvault: Provider = parseProviderJson(PRODUCT_EXAMPLE_JSON)[0]!;
const readycloud: Provider = parseProviderJson(`{ "providers": [{
  "id": "readycloud", "name": "ReadyCloud (demo)", "flow": "implicit",
  "authorizationUrl": "http://127.0.0.1:8710/api/oauth2/authorize", "clientId": "burgermaker-client",
  "scopes": ["orders:read"], "apiBaseUrls": ["http://127.0.0.1:8710/api/v1/"] }] }`)[0]!;

function account(id: string, provider: Provider, accessToken: string, extra: Partial<Account> = {}): Account {
  return { id, providerId: provider.id, label: id, accessToken, scopes: [...provider.scopes], obtainedAt: 0, ...extra };
}

const sky1 = account('sky-1', skyvault, SKYVAULT_TOKEN_RESPONSE.access_token);
const sky2 = account('sky-2', skyvault, '0b5c1f7e-9d1a-4a55-8c0e-2f3e8f1d6a77');
const ready1 = account('ready-1', readycloud, 'rc-token-1');

function approval(accountId: string, origin: string, approvedAt = 1_000): Approval {
  return { accountId, origin, approvedAt };
}

function input(accounts: Account[], approvals: Approval[], providers: Provider[] = [skyvault, readycloud]): InjectionInput {
  return { providers, accounts, approvals };
}

describe('SITE_RESOURCE_TYPES', () => {
  it('covers every request a page makes but navigating the top frame, WebSocket handshakes included', () => {
    expect(SITE_RESOURCE_TYPES.join(' ')).toBe('sub_frame stylesheet script image font object xmlhttprequest ping media websocket other');
  });
});

describe('buildRules', () => {
  it('holds no rules at all when nothing is approved or no account is active', () => {
    expect(buildRules(input([], []))).toEqual([]);
    expect(buildRules(input([sky1, ready1], []))).toEqual([]);
    expect(buildRules(input([], [approval('sky-1', 'https://app.example.com')]))).toEqual([]);
  });

  it('attaches the token to requests from one approved site to the API base URL', () => {
    const rules = buildRules(input([sky1], [approval('sky-1', 'https://app.example.com')]));
    expect(rules).toEqual<DnrRule[]>([
      {
        id: 1,
        priority: 'https://api.skyvault.example/'.length,
        action: {
          type: 'modifyHeaders',
          requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer 87727764-3876-43b9-82a1-1ca917302ce5' }],
        },
        condition: {
          urlFilter: '|https://api.skyvault.example/',
          isUrlFilterCaseSensitive: true,
          initiatorDomains: ['app.example.com'],
          resourceTypes: [...SITE_RESOURCE_TYPES],
        },
      },
    ]);
  });

  it('lists one host once for two ports or schemes of it', () => {
    const rules = buildRules(
      input(
        [ready1],
        [
          approval('ready-1', 'http://localhost:3000'),
          approval('ready-1', 'http://localhost:5173'),
          approval('ready-1', 'https://localhost:8443'),
        ],
      ),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.condition.initiatorDomains).toEqual(['localhost']);
    expect(rules[0]!.condition.urlFilter).toBe('|http://127.0.0.1:8710/api/v1/');
  });

  it('collects all sites of an account in one rule, sorted', () => {
    const rules = buildRules(
      input(
        [sky1],
        [
          approval('sky-1', 'https://b.example.com'),
          approval('sky-1', 'http://[::1]:3000'),
          approval('sky-1', 'https://a.example.com'),
          approval('sky-1', 'http://127.0.0.1:4000'),
        ],
      ),
    );
    expect(rules.map((rule) => rule.condition.initiatorDomains)).toEqual([['127.0.0.1', '[::1]', 'a.example.com', 'b.example.com']]);
  });

  it('gives a host to the later of two accounts competing for it', () => {
    const state = input(
      [sky1, sky2],
      [
        approval('sky-1', 'http://localhost:3000', 1_000),
        approval('sky-1', 'https://app.example.com', 1_000),
        approval('sky-2', 'http://localhost:4000', 2_000),
      ],
    );
    const resolved = resolveApprovals(state);
    expect(resolved.map((r) => [r.approval.origin, r.account.id, r.overriddenBy?.origin, r.apiBaseUrls])).toEqual([
      ['http://localhost:3000', 'sky-1', 'http://localhost:4000', []],
      ['https://app.example.com', 'sky-1', undefined, ['https://api.skyvault.example/']],
      ['http://localhost:4000', 'sky-2', undefined, ['https://api.skyvault.example/']],
    ]);
    expect(resolved[0]!.overriddenBy).toEqual(approval('sky-2', 'http://localhost:4000', 2_000));
    expect(resolved[0]!.provider).toBe(skyvault);

    const rules = buildRules(state);
    expect(rules.map((rule) => [rule.action.requestHeaders[0]!.value, rule.condition.initiatorDomains])).toEqual([
      [`Bearer ${sky1.accessToken}`, ['app.example.com']],
      [`Bearer ${sky2.accessToken}`, ['localhost']],
    ]);
  });

  it('lets accounts of different APIs share a site', () => {
    const rules = buildRules(
      input([sky1, ready1], [approval('sky-1', 'http://localhost:3000', 1), approval('ready-1', 'http://localhost:3000', 2)]),
    );
    expect(rules.map((rule) => [rule.condition.urlFilter, rule.condition.initiatorDomains])).toEqual([
      ['|http://127.0.0.1:8710/api/v1/', ['localhost']],
      ['|https://api.skyvault.example/', ['localhost']],
    ]);
    expect(resolveApprovals(input([sky1, ready1], [approval('sky-1', 'http://localhost:3000')]))[0]!.overriddenBy).toBeUndefined();
  });

  it('makes accounts of two providers that list the same API compete for a host, per base URL', () => {
    const mirror: Provider = {
      ...skyvault,
      id: 'skyvault-mirror',
      apiBaseUrls: ['https://api.skyvault.example/', 'https://files.skyvault.example/'],
    };
    const other = account('mirror-1', mirror, 'mirror-token');
    const state = input(
      [sky1, other],
      [approval('mirror-1', 'http://localhost:3000', 1), approval('sky-1', 'http://localhost:3000', 2)],
      [skyvault, mirror],
    );
    const [first] = resolveApprovals(state);
    expect(first!.overriddenBy).toEqual(approval('sky-1', 'http://localhost:3000', 2));
    expect(first!.apiBaseUrls).toEqual(['https://files.skyvault.example/']);
    expect(buildRules(state).map((rule) => [rule.condition.urlFilter, rule.action.requestHeaders[0]!.value])).toEqual([
      ['|https://files.skyvault.example/', 'Bearer mirror-token'],
      ['|https://api.skyvault.example/', `Bearer ${sky1.accessToken}`],
    ]);
  });

  it('breaks a tie in approvedAt the same way whatever the storage order', () => {
    const a = approval('sky-1', 'http://localhost:3000', 5);
    const b = approval('sky-2', 'http://localhost:4000', 5);
    expect(buildRules(input([sky1, sky2], [a, b]))).toEqual(buildRules(input([sky2, sky1], [b, a])));
    expect(buildRules(input([sky1, sky2], [a, b]))[0]!.action.requestHeaders[0]!.value).toBe(`Bearer ${sky2.accessToken}`);
  });

  it("adds a GET-only main_frame rule without initiator when the API's own origin is approved", () => {
    const rules = buildRules(input([ready1], [approval('ready-1', 'http://127.0.0.1:8710'), approval('ready-1', 'http://localhost:3000')]));
    expect(rules).toHaveLength(2);
    expect(rules[0]!.condition).toEqual({
      urlFilter: '|http://127.0.0.1:8710/api/v1/',
      isUrlFilterCaseSensitive: true,
      initiatorDomains: ['127.0.0.1', 'localhost'],
      resourceTypes: [...SITE_RESOURCE_TYPES],
    });
    expect(rules[1]).toEqual<DnrRule>({
      id: 2,
      priority: 'http://127.0.0.1:8710/api/v1/'.length,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer rc-token-1' }] },
      // No other site's form can POST to the API with the token; typed URLs and links cannot be told apart.
      condition: {
        urlFilter: '|http://127.0.0.1:8710/api/v1/',
        isUrlFilterCaseSensitive: true,
        resourceTypes: ['main_frame'],
        requestMethods: ['get'],
      },
    });
    expect('initiatorDomains' in rules[1]!.condition).toBe(false);
  });

  it('adds no main_frame rule for another port of the API host', () => {
    const rules = buildRules(input([ready1], [approval('ready-1', 'http://127.0.0.1:3000')]));
    expect(rules.map((rule) => rule.condition.resourceTypes.includes('main_frame'))).toEqual([false]);
  });

  it('gives an account with a problem no rules', () => {
    const broken = account('sky-1', skyvault, 'old', { problem: { kind: 'needs reconnect', message: 'Reconnect' } });
    expect(buildRules(input([broken], [approval('sky-1', 'https://app.example.com')]))).toEqual([]);
    // It still holds the host it was approved on last: no silent fall-back to another account's token.
    const state = input([broken, sky2], [approval('sky-2', 'http://localhost:3000', 1), approval('sky-1', 'http://localhost:4000', 2)]);
    expect(buildRules(state)).toEqual([]);
  });

  it('uses the custom header name, and the bare token for an empty prefix', () => {
    const apiKeyProvider: Provider = { ...readycloud, id: 'keyed', header: { name: 'X-Api-Key', prefix: '' } };
    const keyed = account('keyed-1', apiKeyProvider, 'k-123');
    const rules = buildRules(input([keyed], [approval('keyed-1', 'http://localhost:3000')], [apiKeyProvider]));
    expect(rules[0]!.action.requestHeaders).toEqual([{ header: 'X-Api-Key', operation: 'set', value: 'k-123' }]);
  });

  describe('header.token "id_token"', () => {
    const idProvider: Provider = { ...skyvault, id: 'cognito', name: 'Cognito', header: { ...skyvault.header, token: 'id_token' } };
    const idToken = signedJwt({ iss: 'https://auth.skyvault.example', sub: 'ada', aud: 'my-api-key' });
    const withId = account('cog-1', idProvider, 'opaque-access-1', { idToken });
    const approved = [approval('cog-1', 'https://app.example.com')];

    it("attaches the account's id_token, never its access token", () => {
      const rules = buildRules(input([withId], approved, [idProvider]));
      expect(rules.map((rule) => rule.action.requestHeaders)).toEqual([
        [{ header: 'Authorization', operation: 'set', value: `Bearer ${idToken}` }],
      ]);
      expect(JSON.stringify(rules)).not.toContain('opaque-access-1');
    });

    it('a renewed id_token makes a new rule at once', () => {
      const renewedToken = signedJwt({ iss: 'https://auth.skyvault.example', sub: 'ada', aud: 'my-api-key', iat: 2 });
      const renewed = { ...withId, idToken: renewedToken };
      expect(buildRules(input([renewed], approved, [idProvider]))[0]!.action.requestHeaders[0]!.value).toBe(`Bearer ${renewedToken}`);
    });

    it('gives an account without an id_token no rule and a message saying to ask for openid; the others keep theirs', () => {
      const without = account('cog-2', idProvider, 'opaque-access-2');
      const state = input(
        [without, sky1],
        [approval('cog-2', 'https://app.example.com'), approval('sky-1', 'https://other.example.com')],
        [idProvider, skyvault],
      );
      const { rules, skipped } = compileRules(state);
      expect(rules.map((rule) => rule.condition.initiatorDomains)).toEqual([['other.example.com']]);
      expect(injectionProblemsByAccount(skipped, state.accounts)).toEqual({
        'cog-2': ['Cognito gave no id_token: ask for the openid scope (its header carries the id_token), then press Reconnect.'],
      });
      expect(skipped[0]!.reason).toBe('no-id-token');
      expect(JSON.stringify(skipped)).not.toContain('opaque-access-2');
    });

    it('names the id_token when it cannot be a header value, without showing it', () => {
      const bad = { ...withId, idToken: 'eyJ\nbad' };
      const { rules, skipped } = compileRules(input([bad], approved, [idProvider]));
      expect(rules).toEqual([]);
      expect(skipped).toEqual([expect.objectContaining({ reason: 'invalid-token', accountId: 'cog-1' })]);
      expect(skipped[0]!.message).toMatch(/^The Cognito id_token of account "cog-1" cannot be sent as an HTTP header/);
      expect(skipped[0]!.message).not.toContain('eyJ');
    });
  });

  it('skips a token that is not a header value and reports it without the token', () => {
    const secret = 'abc\r\nX-Evil: 1';
    const bad = account('sky-1', skyvault, secret);
    const state = input([bad, ready1], [approval('sky-1', 'http://localhost:3000'), approval('ready-1', 'http://localhost:3000')]);
    const { rules, skipped } = compileRules(state);
    expect(rules.map((rule) => rule.condition.urlFilter)).toEqual(['|http://127.0.0.1:8710/api/v1/']);
    expect(skipped).toEqual([expect.objectContaining({ reason: 'invalid-token', accountId: 'sky-1', providerId: 'skyvault' })]);
    expect(JSON.stringify(skipped)).not.toContain('abc');
    expect(rules.map((rule) => rule.id)).toEqual([1]);
  });

  it.each(['a\nb', 'a\rb', 'a\0b', 'a\x7Fb', 'a\tb\x01', '', 'tök'])('treats token %j as invalid', (token) => {
    expect(buildRules(input([account('sky-1', skyvault, token)], [approval('sky-1', 'https://app.example.com')]))).toEqual([]);
  });

  it('accepts the header values real tokens make', () => {
    expect(isValidHeaderValue('Bearer 87727764-3876-43b9-82a1-1ca917302ce5')).toBe(true);
    expect(isValidHeaderValue('Bearer eyJhbGciOi.J9.x-_~+/==')).toBe(true);
    expect(isValidHeaderValue('Bearer ')).toBe(false);
  });

  it('writes no rule for a base URL a urlFilter cannot express, and keeps the others', () => {
    const wild: Provider = {
      ...skyvault,
      apiBaseUrls: ['https://*.skyvault.example/', 'https://api.skyvault.example/v2/', 'https://api.skyvault.example/a|b/'],
    };
    const { rules, skipped } = compileRules(input([sky1], [approval('sky-1', 'https://app.example.com')], [wild]));
    expect(rules.map((rule) => rule.condition.urlFilter)).toEqual(['|https://api.skyvault.example/v2/']);
    expect(skipped.map((s) => [s.reason, s.apiBaseUrl])).toEqual([
      ['unusable-api-base-url', 'https://*.skyvault.example/'],
      ['unusable-api-base-url', 'https://api.skyvault.example/a|b/'],
    ]);
  });

  it('matches base URLs in the canonical form browsers match against', () => {
    const odd: Provider = { ...skyvault, apiBaseUrls: ['HTTPS://API.SkyVault.example:443/V1/', 'https://api.skyvault.example'] };
    const rules = buildRules(input([sky1], [approval('sky-1', 'https://app.example.com')], [odd]));
    expect(rules.map((rule) => rule.condition.urlFilter)).toEqual(['|https://api.skyvault.example/', '|https://api.skyvault.example/V1/']);
  });

  it('drops approvals of unknown accounts and providers, and reports unusable origins', () => {
    const orphan = account('gone', { ...skyvault, id: 'deleted-provider' }, 'x');
    const { rules, skipped } = compileRules(
      input(
        [sky1, orphan],
        [approval('nobody', 'https://a.example'), approval('gone', 'https://a.example'), approval('sky-1', 'localhost:3000')],
      ),
    );
    expect(rules).toEqual([]);
    expect(skipped.map((s) => [s.reason, s.origin])).toEqual([['unusable-site-origin', 'localhost:3000']]);
    expect(resolveApprovals(input([sky1, orphan], [approval('gone', 'https://a.example')]))).toEqual([]);
  });

  it('compiles 500 accounts × 20 sites to 500 rules with ids 1..500', () => {
    const { state } = manyAccounts(500, 20);
    const rules = buildRules(state);
    expect(rules).toHaveLength(500);
    expect(rules.map((rule) => rule.id)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(rules.every((rule) => rule.condition.initiatorDomains?.length === 20)).toBe(true);
  });

  it('past the limit, leaves out only the accounts that do not fit, whole, oldest first approval first, and says so on them', () => {
    // 12 accounts × 2 sites, one rule each; approvedAt grows with the account number.
    const { state } = manyAccounts(12, 2);
    expect(buildRules(state, { maxRules: 12 })).toHaveLength(12);
    const { rules, ruleAccounts, skipped } = compileRules(state, { maxRules: 10 });
    expect(rules).toHaveLength(10);
    expect(rules.map((rule) => rule.id)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(new Set(ruleAccounts)).toEqual(new Set(state.accounts.slice(0, 10).map((a) => a.id)));
    expect(skipped.map((s) => [s.reason, s.accountId])).toEqual([
      ['rule-limit', 'acct-00010'],
      ['rule-limit', 'acct-00011'],
    ]);
    expect(skipped[0]!.message).toMatch(
      /^The browser allows at most 10 network rules and the accounts approved earlier use 10, so this account's token \(1 rule: one per API base URL of Provider 0/,
    );
    expect(skipped[0]!.message).toMatch(/Remove approved sites or disconnect accounts you no longer use\.$/);
    expect(MAX_SESSION_RULES).toBe(5000);
    expect(compileRules(manyAccounts(5001, 1).state).rules).toHaveLength(5000);
  });

  it('gives room by first approval, not by storage order or id, and lets a later small account fill what is left', () => {
    const wide: Provider = {
      ...skyvault,
      id: 'wide',
      name: 'Wide',
      apiBaseUrls: ['https://a.example/', 'https://b.example/', 'https://c.example/'],
    };
    const big = account('a-big', wide, 'big-token');
    const old = account('z-old', skyvault, 'old-token');
    const small = account('m-small', readycloud, 'small-token');
    const state = input(
      [big, old, small],
      [
        approval('m-small', 'http://localhost:3000', 3),
        approval('a-big', 'http://localhost:3000', 2),
        approval('z-old', 'http://localhost:3000', 1),
      ],
      [wide, skyvault, readycloud],
    );
    // Limit 3: z-old (1 rule) first, then a-big (3) does not fit, m-small (1) does.
    const { rules, skipped } = compileRules(state, { maxRules: 3 });
    expect(rules.map((rule) => rule.action.requestHeaders[0]!.value)).toEqual(['Bearer small-token', 'Bearer old-token']);
    expect(skipped.map((s) => [s.reason, s.accountId])).toEqual([['rule-limit', 'a-big']]);
    expect(skipped[0]!.message).toContain('(3 rules: one per API base URL of Wide');
  });

  it('counts the navigation rule of an approved API origin against the limit', () => {
    const state = input([ready1, sky1], [approval('ready-1', 'http://127.0.0.1:8710', 1), approval('sky-1', 'https://app.example.com', 2)]);
    expect(compileRules(state).rules).toHaveLength(3);
    const { rules, skipped } = compileRules(state, { maxRules: 2 });
    expect(rules.map((rule) => rule.condition.resourceTypes.includes('main_frame'))).toEqual([false, true]);
    expect(skipped.map((s) => s.accountId)).toEqual(['sky-1']);
  });

  it('gives the longest matching base URL the higher priority, whichever provider lists it', () => {
    const outer: Provider = { ...skyvault, id: 'outer', name: 'Outer', apiBaseUrls: ['https://api.example.com/'] };
    const inner: Provider = { ...readycloud, id: 'inner', name: 'Inner', apiBaseUrls: ['https://api.example.com/v2/files/'] };
    const middle: Provider = { ...readycloud, id: 'middle', name: 'Middle', apiBaseUrls: ['HTTPS://API.example.com:443/v2/'] };
    const accounts = [
      account('outer-1', outer, 'outer-token'),
      account('inner-1', inner, 'inner-token'),
      account('middle-1', middle, 'middle-token'),
    ];
    // The outer account approved last: recency must not matter across different base URLs.
    const approvals = [
      approval('inner-1', 'http://localhost:3000', 1),
      approval('middle-1', 'http://localhost:3000', 2),
      approval('outer-1', 'http://localhost:3000', 3),
    ];
    const rules = buildRules(input(accounts, approvals, [outer, inner, middle]));
    const byPriority = [...rules].sort((a, b) => b.priority - a.priority);
    expect(byPriority.map((rule) => [rule.condition.urlFilter, rule.action.requestHeaders[0]!.value])).toEqual([
      ['|https://api.example.com/v2/files/', 'Bearer inner-token'],
      ['|https://api.example.com/v2/', 'Bearer middle-token'],
      ['|https://api.example.com/', 'Bearer outer-token'],
    ]);
    expect(byPriority.map((rule) => rule.priority)).toEqual([33, 27, 24]);
  });

  it("keeps every site rule priority below the tab rules' offset", () => {
    expect(prefixPriority('https://a.example/')).toBe(18);
    expect(prefixPriority(`https://a.example/${'x'.repeat(20_000)}/`)).toBe(TAB_RULE_PRIORITY_OFFSET - 1);
  });

  it.each([
    'Cookie',
    'host',
    'ORIGIN',
    'Referer',
    'Content-Type',
    'Proxy-Authorization',
    'Sec-Fetch-Site',
    'X-HTTP-Method-Override',
    'If-None-Match',
    'Range',
  ])("attaches nothing in a header the browser or the request owns (%s), and says so on that provider's accounts only", (name) => {
    const owned: Provider = { ...skyvault, header: { name, prefix: '' } };
    const state = input(
      [sky1, ready1],
      [approval('sky-1', 'http://localhost:3000'), approval('ready-1', 'http://localhost:3000')],
      [owned, readycloud],
    );
    const { rules, skipped } = compileRules(state);
    expect(rules.map((rule) => rule.action.requestHeaders[0]!.header)).toEqual(['Authorization']);
    expect(skipped.map((s) => [s.reason, s.accountId])).toEqual([['invalid-header-name', 'sky-1']]);
    expect(skipped[0]!.message).toContain(`must not be ${JSON.stringify(name)}: the browser or the request sets that header itself`);
    expect(JSON.stringify(skipped)).not.toContain(sky1.accessToken);
  });

  it('is deterministic: the same state in any storage order gives identical rules', () => {
    const { state } = manyAccounts(40, 5);
    const first = buildRules(state);
    expect(buildRules(state)).toEqual(first);
    const shuffled: InjectionInput = {
      providers: [...state.providers].reverse(),
      accounts: [...state.accounts].reverse(),
      approvals: [...state.approvals].reverse(),
    };
    expect(JSON.stringify(buildRules(shuffled))).toBe(JSON.stringify(first));
  });
});

describe('injectionProblemsByAccount', () => {
  it("puts each skip on its account, and a provider's on every account of that provider", () => {
    const wild: Provider = { ...skyvault, apiBaseUrls: ['https://*.skyvault.example/', 'https://api.skyvault.example/'] };
    const bad = account('ready-2', readycloud, 'bad\ntoken');
    const state = input(
      [sky1, sky2, ready1, bad],
      [approval('sky-1', 'https://app.example.com'), approval('ready-2', 'https://app.example.com')],
      [wild, readycloud],
    );
    const { skipped } = compileRules(state);
    const problems = injectionProblemsByAccount(skipped, state.accounts);
    expect(Object.keys(problems).sort()).toEqual(['ready-2', 'sky-1', 'sky-2']);
    expect(problems['sky-1']).toEqual([expect.stringContaining('"https://*.skyvault.example/" cannot be written as a browser network rule')]);
    expect(problems['sky-2']).toEqual(problems['sky-1']);
    expect(problems['ready-2']).toEqual([expect.stringContaining('cannot be sent as an HTTP header')]);
  });
});

describe('originRules', () => {
  // Chromium's id of the unpacked build; Firefox gives a moz-extension UUID in its place.
  const extensionHost = 'eplaelcgbkfgoepbkpkdfokpajjdldnf';
  const removeOrigin = (id: number, url: string): DnrRule => ({
    id,
    priority: ORIGIN_RULE_PRIORITY,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] },
    condition: { urlFilter: `|${url}|`, isUrlFilterCaseSensitive: true, initiatorDomains: [extensionHost], resourceTypes: ['xmlhttprequest'] },
  });

  it("removes Origin from the extension's own requests to each token and revocation endpoint, and nowhere else", () => {
    expect(originRules([skyvault, readycloud], extensionHost)).toEqual([
      removeOrigin(ORIGIN_RULE_FIRST_ID, 'https://auth.skyvault.example/oauth/revoke'),
      removeOrigin(ORIGIN_RULE_FIRST_ID + 1, 'https://auth.skyvault.example/oauth/token'),
    ]);
  });

  it('makes none without providers, or for an implicit provider with no token endpoint', () => {
    expect(originRules([], extensionHost)).toEqual([]);
    expect(originRules([readycloud], extensionHost)).toEqual([]);
  });

  it("makes one rule per distinct endpoint URL, in canonical form, whatever the providers' order", () => {
    const sameServer: Provider = { ...skyvault, id: 'skyvault-2', tokenUrl: 'HTTPS://Auth.SkyVault.example:443/oauth/token' };
    const rules = originRules([sameServer, skyvault], extensionHost);
    expect(rules.map((rule) => rule.condition.urlFilter)).toEqual([
      '|https://auth.skyvault.example/oauth/revoke|',
      '|https://auth.skyvault.example/oauth/token|',
    ]);
    expect(originRules([skyvault, sameServer], extensionHost)).toEqual(rules);
  });

  it('leaves out an endpoint a urlFilter cannot spell', () => {
    const odd: Provider = { ...skyvault, tokenUrl: 'https://auth.skyvault.example/token?policy=a|b' };
    expect(originRules([odd], extensionHost).map((rule) => rule.condition.urlFilter)).toEqual(['|https://auth.skyvault.example/oauth/revoke|']);
  });

  it("come after the header rules when the extension host is given, marked as no account's, and count against the limit first", () => {
    const state = input([sky1], [approval('sky-1', 'https://app.example.com')]);
    const { rules, ruleAccounts, skipped } = compileRules(state, { extensionHost });
    expect(rules).toEqual([...buildRules(state), ...originRules(state.providers, extensionHost)]);
    expect(ruleAccounts).toEqual(['sky-1', null, null]);
    expect(skipped).toEqual([]);
    // Two Origin rules fill a limit of two: the account's one header rule no longer fits.
    const full = compileRules(state, { extensionHost, maxRules: 2 });
    expect(full.rules.map((rule) => rule.id)).toEqual([ORIGIN_RULE_FIRST_ID, ORIGIN_RULE_FIRST_ID + 1]);
    expect(full.skipped.map((skip) => [skip.reason, skip.accountId])).toEqual([['rule-limit', 'sky-1']]);
    expect(full.skipped[0]!.message).toContain(
      "at most 2 network rules and the accounts approved earlier use 0 (TokenTap's own token requests 2)",
    );
  });
});

/** `count` SkyVault-like accounts over 10 providers, each approved on `sites` distinct hosts. */
function manyAccounts(count: number, sites: number): { state: InjectionInput } {
  const providers = Array.from({ length: 10 }, (_, p): Provider => ({
    ...skyvault,
    id: `p${p}`,
    name: `Provider ${p}`,
    apiBaseUrls: [`https://api${p}.example/v1/`],
  }));
  const accounts = Array.from({ length: count }, (_, a) => account(`acct-${String(a).padStart(5, '0')}`, providers[a % 10]!, `token-${a}`));
  const approvals = accounts.flatMap((acct, a) =>
    Array.from({ length: sites }, (_, s) => approval(acct.id, `https://site${s}.team${a}.example`, a * 100 + s)),
  );
  return { state: { providers, accounts, approvals } };
}

describe('apiBaseUrlOf', () => {
  const api: Provider = { ...skyvault, apiBaseUrls: ['https://api.skyvault.example/', 'HTTPS://API.SkyVault.example/v2/'] };
  it('names the longest base URL a URL falls under, in the canonical form the rules match', () => {
    expect(apiBaseUrlOf('https://api.skyvault.example/sites?q=a|b*', api)).toBe('https://api.skyvault.example/');
    expect(apiBaseUrlOf('https://API.skyvault.example:443/v2/people', api)).toBe('https://api.skyvault.example/v2/');
  });
  it('names none for another host, scheme, port or path case, or text that is no URL', () => {
    for (const url of [
      'https://api.skyvault.example.evil/',
      'http://api.skyvault.example/',
      'https://api.skyvault.example:8443/',
      'not a url',
    ]) {
      expect(apiBaseUrlOf(url, api)).toBeUndefined();
    }
    expect(apiBaseUrlOf('https://api.skyvault.example/V2/x', { ...api, apiBaseUrls: ['https://api.skyvault.example/v2/'] })).toBeUndefined();
  });
});
