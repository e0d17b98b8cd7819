import { useState } from 'preact/hooks';
import { request } from '../messages';
import { hostOnlyNote, parseSiteOrigin, SiteOriginError, siteRefusal } from '../inject/site-origin';
import { resolveApprovals, type ResolvedApproval } from '../inject/rules';
import type { Approval } from '../approvals/approval';
import type { StoredState } from '../storage/read-state';
import type { Account } from '../accounts/account';
import { accountName, providerOf } from '../accounts/account-provider';
import { accessRefusedMessage, hostNames, hostsNeeded, missingAccessNote, requestHostAccess, requestSiteAccess } from '../ui/permissions';
import { useInjectionProblems, useMissingHostAccess } from '../ui/hooks';

/** Per account: the sites allowed to have its token attached to their calls to its API. */
export function ApprovedSites({ state }: { state: StoredState }) {
  const resolved = resolveApprovals(state);
  const needed = hostsNeeded(state);
  const missingAccess = useMissingHostAccess(needed);
  const injectionProblems = useInjectionProblems();
  return (
    <section aria-labelledby="approved-heading">
      <h2 id="approved-heading">Approved sites</h2>
      {state.accounts.length === 0 && <p class="muted">Connect an account from the popup first.</p>}
      {state.accounts.map((account) => {
        const provider = providerOf(state.providers, account.providerId);
        const name = accountName(account, provider);
        return (
          <AccountSites
            key={account.id}
            name={name}
            account={account}
            apiBaseUrls={provider?.apiBaseUrls ?? []}
            sites={state.approvals
              .filter((approval) => approval.accountId === account.id)
              .map((approval) => ({ approval, resolved: resolved.find((r) => r.approval === approval) }))}
            needed={needed[account.id] ?? []}
            missingAccess={missingAccess[account.id]}
            injectionProblems={injectionProblems[account.id] ?? []}
            accountName={(id) => {
              const other = state.accounts.find((a) => a.id === id);
              return other ? accountName(other, providerOf(state.providers, other.providerId)) : '';
            }}
          />
        );
      })}
    </section>
  );
}

interface AccountSitesProps {
  name: string;
  account: Account;
  apiBaseUrls: string[];
  /** Every stored approval of the account; `resolved` is missing for one that gets no rule. */
  sites: { approval: Approval; resolved: ResolvedApproval | undefined }[];
  accountName: (accountId: string) => string;
  /** What the account needs the browser to let TokenTap reach, and what of it is missing now. */
  needed: string[];
  missingAccess: string[] | undefined;
  /** Why its token is not attached (or not everywhere): the rule limit, a rule it cannot have. */
  injectionProblems: readonly string[];
}

function AccountSites({ name, account, apiBaseUrls, sites, accountName, needed, missingAccess, injectionProblems }: AccountSitesProps) {
  const [origin, setOrigin] = useState('');
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string }>();
  const inputId = `site-${account.id}`;

  // The form and buttons run these with `void`: Preact ignores a handler's result; each sets `message` itself.
  const approve = async () => {
    // Validate before prompting, so a typo or a site that cannot be approved never asks for a permission.
    let siteOrigin: string;
    try {
      siteOrigin = parseSiteOrigin(origin);
    } catch (error) {
      if (!(error instanceof SiteOriginError)) throw error;
      return setMessage({ kind: 'alert', text: `${error.message} Nothing was changed.` });
    }
    // Ask before any await: Firefox only prompts from the user's action itself.
    if (!(await requestSiteAccess([siteOrigin, ...apiBaseUrls]))) {
      return setMessage({ kind: 'alert', text: accessRefusedMessage(siteOrigin) });
    }
    const result = await request('approveSite', { accountId: account.id, origin });
    if (!result.ok) return setMessage({ kind: 'alert', text: result.error });
    setOrigin('');
    const replaced = result.value.replaced.map(accountName);
    setMessage({
      kind: 'status',
      text: `Approved ${result.value.origin}${replaced.length ? ` (it no longer uses ${replaced.join(', ')})` : ''}.`,
    });
  };
  const allowAccess = async () => {
    const missing = hostNames(missingAccess ?? []);
    const granted = await requestHostAccess(needed);
    setMessage(
      granted
        ? { kind: 'status', text: `TokenTap may reach ${missing} again.` }
        : { kind: 'alert', text: `TokenTap is still not allowed to reach ${missing}. Nothing was changed.` },
    );
  };
  const remove = async (siteOrigin: string) => {
    const result = await request('removeSite', { accountId: account.id, origin: siteOrigin });
    setMessage(result.ok ? { kind: 'status', text: `Removed ${siteOrigin}.` } : { kind: 'alert', text: result.error });
  };

  return (
    <section class="account-sites" aria-label={name}>
      <h3>{name}</h3>
      <p class="muted">API: {apiBaseUrls.join(', ')}</p>
      {injectionProblems.map((problem) => (
        <p class="problem" key={problem}>
          {problem}
        </p>
      ))}
      {missingAccess && (
        <p class="problem">
          {missingAccessNote(missingAccess)}{' '}
          <button type="button" onClick={() => void allowAccess()}>
            Allow access
          </button>
        </p>
      )}
      <ul class="sites">
        {sites.map(({ approval, resolved }) => (
          <li key={approval.origin} aria-label={approval.origin}>
            <code>{approval.origin}</code>{' '}
            <button type="button" onClick={() => void remove(approval.origin)}>
              Remove
            </button>
            <small class="muted"> {approvalNote(approval, resolved, accountName)}</small>
          </li>
        ))}
      </ul>
      <form
        class="actions"
        onSubmit={(e) => {
          e.preventDefault();
          void approve();
        }}
      >
        <label for={inputId}>Site origin</label>
        <input id={inputId} value={origin} placeholder="https://app.example.com" onInput={(e) => setOrigin(e.currentTarget.value)} />
        <button type="submit">Approve</button>
      </form>
      {message && (
        <p role={message.kind} class={message.kind}>
          {message.text}
        </p>
      )}
    </section>
  );
}

/** What an approval does: what it also covers, or why it is not in use. */
function approvalNote(approval: Approval, resolved: ResolvedApproval | undefined, accountName: (accountId: string) => string): string {
  // An approval stored before its site was refused, such as plain http on the open network.
  if (resolved === undefined) return `Not in use: ${siteRefusal(approval.origin) ?? 'its provider is gone.'}`;
  const { overriddenBy, apiBaseUrls } = resolved;
  if (overriddenBy && apiBaseUrls.length === 0) {
    return `Not in use: ${overriddenBy.origin} uses ${accountName(overriddenBy.accountId)} (approved later), and the browser matches sites by host only.`;
  }
  return hostOnlyNote(approval.origin);
}
