import { browser, type Browser } from '../platform';
import type { TabChoice } from '../approvals/tab-choice';

/**
 * "Use on this tab only" choices. In storage.session: they outlive the service worker (and
 * Firefox's event page), and a browser restart, which ends every tab, clears them with the
 * session rules. The background writes them; the popup reads them. This module owns the key.
 */
const TAB_CHOICES = 'tabChoices';

export async function readTabChoices(): Promise<TabChoice[]> {
  const stored = await browser.storage.session.get(TAB_CHOICES);
  return (stored[TAB_CHOICES] as TabChoice[] | undefined) ?? [];
}

export async function saveTabChoices(choices: readonly TabChoice[]): Promise<void> {
  await browser.storage.session.set({ [TAB_CHOICES]: choices });
}

export function onTabChoicesChanged(listener: (choices: TabChoice[]) => void): () => void {
  const handle = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
    if (area === 'session' && TAB_CHOICES in changes) listener((changes[TAB_CHOICES]?.newValue as TabChoice[] | undefined) ?? []);
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
