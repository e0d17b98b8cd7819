import { browser, type Browser } from '../platform';
import type { DevicePolling } from '../oauth/device-polling';

/**
 * Device sign-ins in progress (RFC 8628), kept in storage.session under `deviceSignIn:<id>`: the
 * polling must outlive the popup and the service worker, not the browser session. The background
 * writes them; the popup reads them to show the user code. This module owns these keys.
 */
const PREFIX = 'deviceSignIn:';

export interface DeviceSignIn {
  id: string;
  providerId: string;
  /** What the user types at the provider, and where. */
  userCode: string;
  verificationUri: string;
  /** Sent at each poll; never shown. */
  deviceCode: string;
  polling: DevicePolling;
  /** Reconnect: the account that gets the new tokens. */
  accountId?: string;
  /** The scopes of the access chosen at Connect, when the provider offered a choice (kept on the account). */
  askedScopes?: string[];
}

export async function saveDeviceSignIn(signIn: DeviceSignIn): Promise<void> {
  await browser.storage.session.set({ [PREFIX + signIn.id]: signIn });
}

export async function readDeviceSignIn(id: string): Promise<DeviceSignIn | undefined> {
  const key = PREFIX + id;
  return (await browser.storage.session.get(key))[key] as DeviceSignIn | undefined;
}

export async function readDeviceSignIns(): Promise<DeviceSignIn[]> {
  return Object.entries(await browser.storage.session.get(null))
    .filter(([key]) => key.startsWith(PREFIX))
    .map(([, value]) => value as DeviceSignIn);
}

/** Forgets the device sign-in; false when it was gone already (finished, cancelled, or ended by another trigger). */
export async function forgetDeviceSignIn(id: string): Promise<boolean> {
  const key = PREFIX + id;
  if (!(key in (await browser.storage.session.get(key)))) return false;
  await browser.storage.session.remove(key);
  return true;
}

/** Calls `listener` with every device sign-in whenever one starts, polls, or ends. */
export function onDeviceSignInsChanged(listener: (signIns: DeviceSignIn[]) => void): () => void {
  const handle = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
    if (area === 'session' && Object.keys(changes).some((key) => key.startsWith(PREFIX))) void readDeviceSignIns().then(listener);
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
