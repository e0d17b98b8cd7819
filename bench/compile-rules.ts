// How long compiling the injection rules takes for a large but realistic state.
// Run: npx tsx bench/compile-rules.ts   (target ≤ 20 ms median; printed, not asserted)
import type { Account } from '../src/accounts/account';
import type { Approval } from '../src/approvals/approval';
import { buildRules, MAX_SESSION_RULES, type InjectionInput } from '../src/inject/rules';
import type { Provider } from '../src/providers/model';

const ACCOUNTS = 500;
const SITES_PER_ACCOUNT = 20;
const PROVIDERS = 10;
const WARMUP_RUNS = 20;
const RUNS = 50;

/** 10 providers, every other one with a second API base URL; header styles vary like real APIs. */
function makeProviders(): Provider[] {
  return Array.from({ length: PROVIDERS }, (_, p) => ({
    id: `provider-${p}`,
    name: `Provider ${p}`,
    flow: p % 2 === 0 ? 'code' : 'implicit',
    authorizationUrl: `https://auth${p}.example/oauth/authorize`,
    ...(p % 2 === 0 && { tokenUrl: `https://auth${p}.example/oauth/token` }),
    clientId: `client-${p}`,
    clientAuth: 'body',
    pkce: true,
    scopes: ['public_api'],
    extraParams: {},
    apiBaseUrls: p % 2 === 0 ? [`https://api${p}.example/v1/`, `https://upload${p}.example/`] : [`http://127.0.0.1:87${p}0/api/v1/`],
    header: p % 3 === 0 ? { name: 'X-Api-Key', prefix: '' } : { name: 'Authorization', prefix: 'Bearer' },
  }));
}

/**
 * Sites as developers have them: a shared pool of localhost ports and staging hosts (several
 * accounts of one provider compete for some, so the later approval must win) plus each team's own.
 */
function makeState(): InjectionInput {
  const providers = makeProviders();
  const accounts: Account[] = Array.from({ length: ACCOUNTS }, (_, a) => ({
    id: `account-${a}`,
    providerId: providers[a % PROVIDERS]!.id,
    label: `Account ${a}`,
    accessToken: `${a.toString(16).padStart(8, '0')}-3876-43b9-82a1-1ca917302ce5`,
    scopes: ['public_api'],
    obtainedAt: 0,
    expiresAt: 3_600_000,
  }));
  const approvals: Approval[] = [];
  let clock = 1_700_000_000_000;
  for (const [a, account] of accounts.entries()) {
    for (let s = 0; s < SITES_PER_ACCOUNT; s++) {
      const origin =
        s < 2
          ? `http://localhost:${3000 + ((a + s) % 40)}`
          : s < 4
            ? `https://staging-${(a * 7 + s) % 200}.shared.example`
            : `https://app${s}.team${a}.example${s % 5 === 0 ? ':8443' : ''}`;
      approvals.push({ accountId: account.id, origin, approvedAt: clock++ });
    }
  }
  // Storage keeps approvals in the order they were made, which is not grouped by account.
  approvals.sort((x, y) => (x.origin < y.origin ? -1 : x.origin > y.origin ? 1 : 0));
  return { providers, accounts, approvals };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const state = makeState();
let rules = buildRules(state);
for (let i = 0; i < WARMUP_RUNS; i++) rules = buildRules(state);
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  rules = buildRules(state);
  times.push(performance.now() - start);
}
times.sort((x, y) => x - y);
const domains = rules.reduce((sum, rule) => sum + (rule.condition.initiatorDomains?.length ?? 0), 0);
console.log(
  `compile ${ACCOUNTS} accounts × ${SITES_PER_ACCOUNT} sites: median ${percentile(times, 50).toFixed(1)} ms, ` +
    `p95 ${percentile(times, 95).toFixed(1)} ms, ${rules.length} rules (limit ${MAX_SESSION_RULES})`,
);
console.log(
  `${state.approvals.length} approvals, ${domains} initiator domains, ${(JSON.stringify(rules).length / 1024).toFixed(0)} KiB as JSON, ${RUNS} runs`,
);
