import { setLastError } from '../storage/session';
import { describeUnreadableSecrets } from '../storage/secrets';
import { upgradeStoredState } from '../storage/store';

/**
 * Brings the stored state up to this version (README "Upgrades"); when secrets no longer decrypt,
 * the popup's alert says which accounts need Reconnect and which client secrets to enter again.
 */
export async function upgradeStorage(): Promise<void> {
  const lost = await upgradeStoredState();
  if (lost) await setLastError(describeUnreadableSecrets(lost));
}
