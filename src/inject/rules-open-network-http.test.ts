import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import { parseProviderJson } from '../providers/provider';
import { PRODUCT_EXAMPLE_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { compileRules, resolveApprovals } from './rules';

// Approvals stored before plain http off this machine was refused at approval time.
const skyvault = parseProviderJson(PRODUCT_EXAMPLE_JSON)[0]!;
const account = (id: string): Account => ({
  id,
  providerId: skyvault.id,
  label: id,
  accessToken: SKYVAULT_TOKEN_RESPONSE.access_token,
  scopes: [],
  obtainedAt: 0,
});

describe('a stored plain-http approval on the open network', () => {
  const state = {
    providers: [skyvault],
    accounts: [account('sky-1'), account('sky-2')],
    approvals: [
      { accountId: 'sky-1', origin: 'https://app.example.com', approvedAt: 1 },
      { accountId: 'sky-1', origin: 'http://localhost:3000', approvedAt: 1 },
      // Later, so before this rule it took app.example.com over for sky-2.
      { accountId: 'sky-2', origin: 'http://app.example.com', approvedAt: 2 },
    ],
  };

  it('gets no rule, and the skip message says why', () => {
    const { rules, skipped } = compileRules(state);
    expect(rules.map((rule) => [rule.action.requestHeaders[0]!.value, rule.condition.initiatorDomains])).toEqual([
      [`Bearer ${SKYVAULT_TOKEN_RESPONSE.access_token}`, ['app.example.com', 'localhost']],
    ]);
    expect(skipped).toEqual([
      {
        reason: 'unusable-site-origin',
        origin: 'http://app.example.com',
        accountId: 'sky-2',
        message:
          'The approved site "http://app.example.com" gets no token. http://app.example.com cannot be approved: anyone on the network ' +
          'could inject script into an http page and use your token through it. Approve https://app.example.com instead ' +
          '(plain http is allowed only on this machine: localhost, *.localhost, 127.0.0.1, [::1]).',
      },
    ]);
  });

  it('takes no site over from another account', () => {
    const resolved = resolveApprovals(state);
    expect(resolved.map((r) => [r.approval.origin, r.overriddenBy?.origin, r.apiBaseUrls.length])).toEqual([
      ['https://app.example.com', undefined, 1],
      ['http://localhost:3000', undefined, 1],
    ]);
  });
});
