import { browser, type Browser } from '../platform';

/**
 * Why an account's token is not attached (or not everywhere), per account id, as the last rule
 * sync found it. Written only by the background's rule sync; derived from the stored state, so it
 * lives in storage.session: the next sync at browser start writes it again.
 */
export type InjectionProblems = Record<string, string[]>;

const INJECTION_PROBLEMS = 'injectionProblems';

/** Stores `problems` unless they are what is stored already (a write wakes every open page). */
export async function saveInjectionProblems(problems: InjectionProblems): Promise<void> {
  const stored = await readInjectionProblems();
  if (JSON.stringify(stored) === JSON.stringify(problems)) return;
  await browser.storage.session.set({ [INJECTION_PROBLEMS]: problems });
}

export async function readInjectionProblems(): Promise<InjectionProblems> {
  const stored = await browser.storage.session.get(INJECTION_PROBLEMS);
  return (stored[INJECTION_PROBLEMS] as InjectionProblems | undefined) ?? {};
}

export function onInjectionProblemsChanged(listener: (problems: InjectionProblems) => void): () => void {
  const handle = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
    if (area === 'session' && INJECTION_PROBLEMS in changes)
      listener((changes[INJECTION_PROBLEMS]?.newValue as InjectionProblems | undefined) ?? {});
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
