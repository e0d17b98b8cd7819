// The key that seals secrets in storage.local (README "Secrets at rest"): AES-GCM 256, not
// extractable, kept in the extension origin's IndexedDB. Content scripts use IndexedDB with the
// page's origin, so they cannot reach it; the extension's own pages and background can.

/** Where the key lives; drive/chromium.ts and drive/firefox.ts read it from here too. */
export const KEY_LOCATION = { database: 'tokentap-keys', store: 'keys', id: 'secrets' } as const;

/**
 * The key, or undefined when there is none yet (a fresh install, or IndexedDB was cleared).
 * `create` makes one when absent: only the background, the one writer, asks for that.
 * Rejects when IndexedDB cannot be opened, so a passing failure never replaces a key.
 */
export async function loadSecretKey(options: { create: boolean }): Promise<CryptoKey | undefined> {
  // Not cached: a key cleared while the extension runs must show as gone, not live on in memory.
  const database = await openDatabase();
  try {
    let key = await request<CryptoKey | undefined>(
      database.transaction(KEY_LOCATION.store).objectStore(KEY_LOCATION.store).get(KEY_LOCATION.id),
    );
    if (!key && options.create) {
      const created = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      // `add`, not `put`: a key that appeared meanwhile is never overwritten; then it is the one.
      const written = database.transaction(KEY_LOCATION.store, 'readwrite').objectStore(KEY_LOCATION.store).add(created, KEY_LOCATION.id);
      await request(written).catch(() => undefined);
      key = await request<CryptoKey | undefined>(database.transaction(KEY_LOCATION.store).objectStore(KEY_LOCATION.store).get(KEY_LOCATION.id));
    }
    return key;
  } finally {
    database.close();
  }
}

function openDatabase(): Promise<IDBDatabase> {
  const opening = indexedDB.open(KEY_LOCATION.database, 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore(KEY_LOCATION.store);
  return request(opening);
}

function request<T>(req: IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}
