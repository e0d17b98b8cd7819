import {
  accountStatus,
  formatDuration,
  formatTimeLeft,
  hasTokens,
  holdsPastedToken,
  offersReconnect,
  PASTED_TOKEN_NOTE,
  sentToken,
  type Account,
} from '../accounts/account';
import { browser } from '../platform';
import type { Provider } from '../providers/model';
import { consolePath } from '../console/page';
import { renameAccount } from './rename-account-loader';
import { useState } from 'preact/hooks';
import { useModuleAfterPaint } from '../ui/later-module';
import { accountDetails } from './account-details-loader';
import { tabChoice } from './tab-choice-loader';

/** The popup's one note on what Use on this site covers for the active tab, which each button points to. */
export const SITE_NOTE_ID = 'site-note';

interface Props {
  account: Account;
  provider: Provider | undefined;
  now: number;
  /** The active tab's origin, when it is a web page. */
  site: string | undefined;
  approvedHere: boolean;
  approvedCount: number;
  /** Says which hosts the browser does not let TokenTap reach, though this account needs them (none: undefined). */
  missingAccess: string | undefined;
  /** Why its token is not attached (or not everywhere): the rule limit, a rule it cannot have. */
  injectionProblems: readonly string[] | undefined;
  onAllowAccess: () => void;
  onToggleSite: (approvedHere: boolean) => void;
  onRefresh: () => void;
  onReconnect: () => void;
  onDisconnect: () => void;
  onNotice: (text: string) => void;
}

export function AccountItem(props: Props) {
  const { account, provider, now, site, approvedHere, approvedCount, missingAccess, injectionProblems, onAllowAccess } = props;
  const { onToggleSite, onRefresh, onReconnect, onDisconnect, onNotice } = props;
  const status = accountStatus(account, now);
  const providerName = provider?.name ?? `${account.providerId} (removed provider)`;
  const [showDetails, setShowDetails] = useState(false);
  const details = useModuleAfterPaint(accountDetails);
  const TabChoiceButton = useModuleAfterPaint(tabChoice)?.TabChoiceButton;
  const RenameAccount = useModuleAfterPaint(renameAccount)?.RenameAccount;
  const detailsId = `details-${account.id}`;
  // The token API calls carry (the id_token with header.token "id_token"): none, no Copy token.
  const sent = sentToken(account, provider);
  // Run by the button with `void` (Preact ignores its result): it reports either outcome itself.
  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      onNotice(`${providerName} ${token === account.idToken ? 'id_token' : 'token'} copied to the clipboard.`);
    } catch {
      onNotice('The browser refused clipboard access; the token was not copied.');
    }
  };
  return (
    <li class="account" aria-label={`${providerName} ${account.label}`}>
      <div class="account-head">
        <strong>{providerName}</strong> <span class="label">{account.label}</span>
        <span class={`badge status-${status.replace(' ', '-')}`}>{status}</span>
      </div>
      <div class="meta">
        <span title="Time left">{formatTimeLeft(account, now)}</span>
        {account.scopes.length > 0 && <span class="scopes">{account.scopes.join(' ')}</span>}
        <span>{approvedHere ? 'used on this site' : `approved on ${approvedCount} site${approvedCount === 1 ? '' : 's'}`}</span>
      </div>
      {account.refreshExpiresAt !== undefined && <div class="meta">refresh token: {formatDuration(account.refreshExpiresAt - now)}</div>}
      {holdsPastedToken(account) && <p class="meta">{PASTED_TOKEN_NOTE}</p>}
      {account.problem && <p class="problem">{account.problem.message}</p>}
      {account.needsSignIn && <p class="problem">{account.needsSignIn.message}</p>}
      {injectionProblems?.map((message) => (
        <p class="problem" key={message}>
          {message}
        </p>
      ))}
      {missingAccess && (
        <p class="problem">
          {missingAccess}{' '}
          <button type="button" onClick={onAllowAccess}>
            Allow access
          </button>
        </p>
      )}
      {account.retry && (
        <p class="problem">
          {account.retry.message} Next try in {formatDuration(Math.max(account.retry.nextAt - now, 1000))}.
        </p>
      )}
      <div class="actions">
        {offersReconnect(account, now) && (
          <button type="button" onClick={onReconnect}>
            Reconnect
          </button>
        )}
        {/* Without a refresh token, Refresh is a silent re-authorization; a pasted token has neither. */}
        {status !== 'needs reconnect' && !account.needsSignIn && !holdsPastedToken(account) && (
          <button type="button" onClick={onRefresh}>
            Refresh
          </button>
        )}
        {hasTokens(account) && sent !== undefined && (
          <button type="button" onClick={() => void copy(sent)}>
            Copy token
          </button>
        )}
        {site && (
          <button type="button" title={site} aria-describedby={SITE_NOTE_ID} onClick={() => onToggleSite(approvedHere)}>
            {approvedHere ? 'Stop using on this site' : 'Use on this site'}
          </button>
        )}
        {TabChoiceButton && <TabChoiceButton {...props} />}
        <button type="button" aria-expanded={showDetails} aria-controls={detailsId} onClick={() => setShowDetails(!showDetails)}>
          Details
        </button>
        <button type="button" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL(consolePath(account.id)) })}>
          Try it
        </button>
        {RenameAccount && <RenameAccount accountId={account.id} label={account.label} onNotice={onNotice} />}
        <button type="button" class="danger" onClick={onDisconnect}>
          Disconnect
        </button>
      </div>
      {showDetails && (
        <section id={detailsId} aria-label={`Details for ${providerName} ${account.label}`} aria-busy={details === undefined}>
          {details ? <details.AccountDetails account={account} provider={provider} now={now} /> : <p class="muted">Loading…</p>}
        </section>
      )}
    </li>
  );
}
