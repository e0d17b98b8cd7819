// What the console says about the selected account before anything is sent (README "Console"). Pure.
import { accountStatus, hasTokens, holdsPastedToken, type Account } from '../accounts/account';

/** Why the account's token will likely be refused, in words that say what to do; undefined when it is in use. */
export function accountWarning(account: Account, providerName: string, now: number): string | undefined {
  const name = `${providerName} ${account.label}`;
  const status = accountStatus(account, now);
  if (!hasTokens(account) || status === 'needs reconnect') {
    return `${name} needs reconnect: it holds no token to send. Press Reconnect in the popup first.`;
  }
  if (account.needsSignIn) return `${name}: ${account.needsSignIn.message}`;
  if (status === 'error' && account.problem) return `${name}: ${account.problem.message}`;
  if (status !== 'expired') return undefined;
  if (holdsPastedToken(account))
    return `${name}'s pasted token has expired, and TokenTap cannot renew it: paste a new one on the options page.`;
  return `${name}'s token has expired: the API will likely answer 401. Send then renews it and sends once more; or press Refresh in the popup first.`;
}
