// Reads TokenTap's storage.local the way its own pages do, for the demo and the tests: the layout
// and the decryption are src/storage/secrets.ts's; only the AES-GCM step runs in an extension
// page, where the non-extractable key can be used (README "Secrets at rest").
import { KEY_LOCATION } from '../src/storage/secret-key';
import { openState, type Cipher } from '../src/storage/secrets';

export interface DecryptRequest {
  location: typeof KEY_LOCATION;
  iv: number[];
  data: number[];
  context: number[];
}

/**
 * Runs inside an extension page (serialized there, so self-contained): decrypts with the key kept
 * in the extension origin's IndexedDB. Creates nothing: without a key database it rejects.
 */
export async function decryptInExtensionPage(request: DecryptRequest): Promise<number[]> {
  const { database, store, id } = request.location;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const opening = indexedDB.open(database);
    opening.onupgradeneeded = () => opening.transaction!.abort();
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(new Error(`TokenTap has no key database "${database}"`));
  });
  const key = await new Promise<CryptoKey | undefined>((resolve, reject) => {
    const get = db.transaction(store).objectStore(store).get(id);
    get.onsuccess = () => resolve(get.result as CryptoKey | undefined);
    get.onerror = () => reject(get.error ?? new Error('IndexedDB read failed'));
  });
  db.close();
  if (!key) throw new Error('TokenTap has no secrets key');
  const params = { name: 'AES-GCM', iv: new Uint8Array(request.iv), additionalData: new Uint8Array(request.context) };
  return [...new Uint8Array(await crypto.subtle.decrypt(params, key, new Uint8Array(request.data)))];
}

/**
 * storage.local's contents with every secret decrypted (`decrypt` runs decryptInExtensionPage in
 * an extension page). Throws when a secret does not decrypt: in a test that is a failure.
 */
export async function decryptedStorage(
  raw: Record<string, unknown>,
  decrypt: (request: DecryptRequest) => Promise<number[]>,
): Promise<Record<string, unknown>> {
  const cipher: Cipher = {
    encrypt: () => Promise.reject(new Error('the demo and the tests only read storage')),
    decrypt: async (iv, data, context) =>
      new Uint8Array(await decrypt({ location: KEY_LOCATION, iv: [...iv], data: [...data], context: [...context] })),
  };
  const { state, unreadable } = await openState(raw, cipher);
  const lost = [...unreadable.accounts, ...unreadable.providers];
  if (lost.length > 0) throw new Error(`Stored secrets did not decrypt: ${lost.join(', ')}`);
  return {
    ...raw,
    ...(raw.providers !== undefined && { providers: state.providers }),
    ...(raw.accounts !== undefined && { accounts: state.accounts }),
  };
}
