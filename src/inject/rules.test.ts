import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import type { Approval } from '../approvals/approval';
import { parseProviderJson, type Provider } from '../providers/provider';
import { PRODUCT_EXAMPLE_JSON, SKYVAULT_TOKEN_RESPONSE } from '../providers/seed-fixtures';
import {
  buildRules,
  compileRules,
  isValidHeaderValue,
  MAX_SESSION_RULES,
  resolveApprovals,
  RuleLimitError,
  SITE_RESOURCE_TYPES,
  type DnrRule,
  type InjectionInput,
} from './rules';

// PRODUCT.md's SkyVault example, parsed as the import would, and the local ReadyCloud-like demo provider.
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
        priority: 1,
        action: {
          type: 'modifyHeaders',
          requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer 87727764-3876-43b9-82a1-1ca917302ce5' }],
        },
        condition: {
          urlFilter: '|https://api.skyvault.example/',
          isUrlFilterCaseSensitive: true,
          initiatorDomains: ['app.example.com'],
          resourceTypes: ['sub_frame', 'stylesheet', 'script', 'image', 'font', 'object', 'xmlhttprequest', 'ping', 'media', 'websocket', 'other'],
        },
      },
    ]);
  });

  it('lists one host once for two ports or schemes of it', () => {
    const rules = buildRules(
      input([ready1], [
        approval('ready-1', 'http://localhost:3000'),
        approval('ready-1', 'http://localhost:5173'),
        approval('ready-1', 'https://localhost:8443'),
      ]),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.condition.initiatorDomains).toEqual(['localhost']);
    expect(rules[0]!.condition.urlFilter).toBe('|http://127.0.0.1:8710/api/v1/');
  });

  it('collects all sites of an account in one rule, sorted', () => {
    const rules = buildRules(
      input([sky1], [
        approval('sky-1', 'https://b.example.com'),
        approval('sky-1', 'http://[::1]:3000'),
        approval('sky-1', 'https://a.example.com'),
        approval('sky-1', 'http://127.0.0.1:4000'),
      ]),
    );
    expect(rules.map((rule) => rule.condition.initiatorDomains)).toEqual([['127.0.0.1', '[::1]', 'a.example.com', 'b.example.com']]);
  });

  it('gives a host to the later of two accounts competing for it', () => {
    const state = input([sky1, sky2], [
      approval('sky-1', 'http://localhost:3000', 1_000),
      approval('sky-1', 'https://app.example.com', 1_000),
      approval('sky-2', 'http://localhost:4000', 2_000),
    ]);
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
    const mirror: Provider = { ...skyvault, id: 'skyvault-mirror', apiBaseUrls: ['https://api.skyvault.example/', 'https://files.skyvault.example/'] };
    const other = account('mirror-1', mirror, 'mirror-token');
    const state = input([sky1, other], [approval('mirror-1', 'http://localhost:3000', 1), approval('sky-1', 'http://localhost:3000', 2)], [skyvault, mirror]);
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

  it("adds a main_frame rule without initiator when the API's own origin is approved", () => {
    const rules = buildRules(
      input([ready1], [approval('ready-1', 'http://127.0.0.1:8710'), approval('ready-1', 'http://localhost:3000')]),
    );
    expect(rules).toHaveLength(2);
    expect(rules[0]!.condition).toEqual({
      urlFilter: '|http://127.0.0.1:8710/api/v1/',
      isUrlFilterCaseSensitive: true,
      initiatorDomains: ['127.0.0.1', 'localhost'],
      resourceTypes: [...SITE_RESOURCE_TYPES],
    });
    expect(rules[1]).toEqual<DnrRule>({
      id: 2,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer rc-token-1' }] },
      condition: { urlFilter: '|http://127.0.0.1:8710/api/v1/', isUrlFilterCaseSensitive: true, resourceTypes: ['main_frame'] },
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

  it('skips a token that is not a header value and reports it without the token', () => {
    const secret = 'abc\r\nX-Evil: 1';
    const bad = account('sky-1', skyvault, secret);
    const state = input([bad, ready1], [approval('sky-1', 'http://localhost:3000'), approval('ready-1', 'http://localhost:3000')]);
    const { rules, skipped } = compileRules(state);
    expect(rules.map((rule) => rule.condition.urlFilter)).toEqual(['|http://127.0.0.1:8710/api/v1/']);
    expect(skipped).toEqual([
      expect.objectContaining({ reason: 'invalid-token', accountId: 'sky-1', providerId: 'skyvault' }),
    ]);
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
    const wild: Provider = { ...skyvault, apiBaseUrls: ['https://*.skyvault.example/', 'https://api.skyvault.example/v2/', 'https://api.skyvault.example/a|b/'] };
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
      input([sky1, orphan], [approval('nobody', 'https://a.example'), approval('gone', 'https://a.example'), approval('sky-1', 'localhost:3000')]),
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

  it('throws RuleLimitError past the limit, saying how many, the limit and what to remove', () => {
    const { state } = manyAccounts(12, 2);
    expect(buildRules(state, { maxRules: 12 })).toHaveLength(12);
    let error: unknown;
    try {
      buildRules(state, { maxRules: 10 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RuleLimitError);
    expect(error).toMatchObject({ needed: 12, limit: 10 });
    expect((error as Error).message).toMatch(/needs 12 browser network rules, but the browser allows at most 10/);
    expect((error as Error).message).toMatch(/Disconnect accounts you no longer use, or remove their approved sites/);
    expect(MAX_SESSION_RULES).toBe(5000);
    expect(() => buildRules(manyAccounts(5001, 1).state)).toThrow(RuleLimitError);
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

/** `count` SkyVault-like accounts over 10 providers, each approved on `sites` distinct hosts. */
function manyAccounts(count: number, sites: number): { state: InjectionInput } {
  const providers = Array.from({ length: 10 }, (_, p): Provider => ({ ...skyvault, id: `p${p}`, apiBaseUrls: [`https://api${p}.example/v1/`] }));
  const accounts = Array.from({ length: count }, (_, a) => account(`acct-${String(a).padStart(5, '0')}`, providers[a % 10]!, `token-${a}`));
  const approvals = accounts.flatMap((acct, a) =>
    Array.from({ length: sites }, (_, s) => approval(acct.id, `https://site${s}.team${a}.example`, a * 100 + s)),
  );
  return { state: { providers, accounts, approvals } };
}
