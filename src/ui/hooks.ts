import { useEffect, useState } from 'preact/hooks';
import { onStateChanged, readState, type StoredState } from '../storage/store';
import { onLastErrorChanged, readLastError, type LastError } from '../storage/session';

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

/** The current time, ticking every `intervalMs`, for countdowns. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
