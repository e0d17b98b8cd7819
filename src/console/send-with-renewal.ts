// Sending a prepared request as the background's 401 watch would have it (README "Console"): a
// 401 to a request that carried the token renews the account once and sends once more.
import type { Account } from '../accounts/account';
import { accountName } from '../accounts/account-provider';
import { request as askBackground } from '../messages';
import type { Provider } from '../providers/model';
import { readState } from '../storage/read-state';
import { accountOf } from './account-of';
import type { ConsoleRequest, ConsoleResponse } from './exchange';
import { prepareRequest, sendPrepared, type PreparedRequest } from './send';

/**
 * Sends `prepared` (made from `typed` for `account`), and on a 401 to it with the token, asks the
 * background to renew the account (Refresh's renewal) and sends `typed` once more with the new
 * token. The note says whether the token went and what a 401 did; it never holds the token.
 */
export async function sendWithRenewal(
  typed: ConsoleRequest,
  prepared: PreparedRequest,
  account: Account | undefined,
  provider: Provider | undefined,
): Promise<{ response: ConsoleResponse; note: string }> {
  const response = await sendPrepared(prepared);
  if (response.status !== 401 || !prepared.withToken || !account) return { response, note: prepared.tokenNote };
  const name = accountName(account, provider);
  const renewed = await askBackground('refresh', { accountId: account.id });
  if (!renewed.ok) return { response, note: `The API answered 401 Unauthorized, and renewing ${name}'s token failed: ${renewed.error}` };
  const fresh = accountOf(await readState(), account.id);
  const again = prepareRequest(typed, fresh.account, fresh.provider);
  return {
    response: await sendPrepared(again),
    note: `The API answered 401 Unauthorized: TokenTap renewed ${name}'s token and sent the request once more. ${again.tokenNote}`,
  };
}
