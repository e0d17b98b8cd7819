import { browser } from '../platform';
import { useEffect, useState } from 'preact/hooks';
import { onStateChanged, readState, type StoredState } from '../storage/read-state';
import { onLastErrorChanged, readLastError, type LastError } from '../storage/session';
import { onInjectionProblemsChanged, readInjectionProblems, type InjectionProblems } from '../storage/injection-problems';
import { missingHostAccess } from './permissions';

// Effects and listeners return synchronously, so the reads below run with `void`; each sets state when done.

/** The stored providers and accounts, kept current as the background changes them. */
export function useStoredState(): StoredState | undefined {
  const [state, setState] = useState<StoredState>();
  useEffect(() => {
    const stop = onStateChanged(setState);
    void readState().then(setState);
    return stop;
  }, []);
  return state;
}

/** The error the last sign-in left, if the user has not dismissed it. */
export function useLastError(): LastError | undefined {
  const [error, setError] = useState<LastError>();
  useEffect(() => {
    const stop = onLastErrorChanged(setError);
    void readLastError().then(setError);
    return stop;
  }, []);
  return error;
}

/** Per account, why its token is not attached (or not everywhere), as the background's last rule sync found it. */
export function useInjectionProblems(): InjectionProblems {
  const [problems, setProblems] = useState<InjectionProblems>({});
  useEffect(() => {
    const stop = onInjectionProblemsChanged(setProblems);
    void readInjectionProblems().then(setProblems);
    return stop;
  }, []);
  return problems;
}

/** The current time, ticking every `intervalMs`, for countdowns. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * The origin of the tab the popup is about: the active tab of the popup's window, when it is an
 * http(s) page. Followed as tabs change, for a popup kept open in a tab of its own.
 */
export function useActiveSiteOrigin(): string | undefined {
  const [origin, setOrigin] = useState<string>();
  useEffect(() => {
    const read = async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const url = tab?.url ? new URL(tab.url) : undefined;
      setOrigin(url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : undefined);
    };
    const refresh = () => void read();
    void read();
    browser.tabs.onActivated.addListener(refresh);
    browser.tabs.onUpdated.addListener(refresh);
    return () => {
      browser.tabs.onActivated.removeListener(refresh);
      browser.tabs.onUpdated.removeListener(refresh);
    };
  }, []);
  return origin;
}

/**
 * Per key, the host patterns among its URLs that TokenTap may not reach now: Firefox leaves
 * manifest host permissions to the user (opt-in before Firefox 127, and revocable in the add-ons
 * manager since), and Chrome lets the user withdraw them. Followed as grants change.
 */
export function useMissingHostAccess(urlsByKey: Record<string, string[]>): Record<string, string[]> {
  const [missing, setMissing] = useState<Record<string, string[]>>({});
  const wanted = JSON.stringify(urlsByKey);
  useEffect(() => {
    let current = true;
    const check = async () => {
      const found = await missingHostAccess(JSON.parse(wanted) as Record<string, string[]>);
      if (current) setMissing(found);
    };
    const recheck = () => void check();
    void check();
    browser.permissions.onAdded.addListener(recheck);
    browser.permissions.onRemoved.addListener(recheck);
    return () => {
      current = false;
      browser.permissions.onAdded.removeListener(recheck);
      browser.permissions.onRemoved.removeListener(recheck);
    };
  }, [wanted]);
  return missing;
}
