import { useEffect, useState } from 'preact/hooks';

/** A module that only a later click needs: left out of the page's first load, fetched once it has painted. */
export interface LaterModule<T> {
  /**
   * The module once it has arrived. A click that asks for a permission takes it from here, before
   * any await: Firefox prompts only from code that runs in the click itself.
   */
  readonly loaded: T | undefined;
  /** The module, fetching it if nothing has yet. */
  load(): Promise<T>;
}

export function laterModule<T>(fetchModule: () => Promise<T>): LaterModule<T> {
  let loading: Promise<T> | undefined;
  const later = {
    loaded: undefined as T | undefined,
    load: () => (loading ??= fetchModule().then((module) => (later.loaded = module))),
  };
  return later;
}

/** Fetches `module` after the page's first paint (Preact runs effects after the browser paints). */
export function useFetchAfterPaint(module: LaterModule<unknown>): void {
  useEffect(() => void module.load(), [module]);
}

/** `module` once it has arrived, fetched after the first paint: a part of the page that shows a moment later. */
export function useModuleAfterPaint<T>(module: LaterModule<T>): T | undefined {
  const [loaded, setLoaded] = useState(module.loaded);
  useEffect(() => void module.load().then((arrived) => setLoaded(() => arrived)), [module]);
  return loaded;
}
