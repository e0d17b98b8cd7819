// Secrets at rest (README "Secrets at rest"): tokens and client secrets are kept in storage.local
// only as AES-GCM ciphertexts, so a script that can read storage.local (any content script) gets
// nothing it can use. This module owns the stored layout; the key lives elsewhere (secret-key.ts).
import type { Account } from '../accounts/account';
import { accountName, providerOf } from '../accounts/account-provider';
import type { Provider } from '../providers/model';
import type { StoredState } from './state';

/** An AES-GCM ciphertext as stored: base64 of a fresh 12-byte IV and of the ciphertext with its tag. */
export interface Sealed {
  iv: string;
  data: string;
}

type Bytes = Uint8Array<ArrayBuffer>;

/** Encrypts and decrypts bytes under one key; `context` is authenticated, not secret. */
export interface Cipher {
  encrypt(plain: Bytes, context: Bytes): Promise<{ iv: Bytes; data: Bytes }>;
  /** Rejects when the ciphertext, its IV or its context do not match the key. */
  decrypt(iv: Bytes, data: Bytes, context: Bytes): Promise<Bytes>;
}

/** The fields that hold secrets; a new secret field (an id_token) is added here and is sealed too. */
export const ACCOUNT_SECRET_FIELDS = ['accessToken', 'refreshToken', 'idToken'] as const;
export const PROVIDER_SECRET_FIELDS = ['clientSecret'] as const;

/** What could not be decrypted (the key is gone, or a ciphertext was altered), by the names the user sees. */
export interface UnreadableSecrets {
  /** "SkyVault Account 1", as the popup names the account. */
  accounts: string[];
  providers: string[];
}

export const UNREADABLE_TOKEN_MESSAGE =
  "TokenTap could not decrypt this account's stored token (its key was cleared with the extension's data). Press Reconnect.";

/** The alert after secrets were lost: what the user must do, by name; never a secret. */
export function describeUnreadableSecrets(lost: UnreadableSecrets): string {
  const parts = ["TokenTap could not decrypt some stored secrets (its key was cleared with the extension's data)."];
  if (lost.accounts.length > 0)
    parts.push(`Reconnect ${lost.accounts.length === 1 ? 'this account' : 'these accounts'}: ${lost.accounts.join(', ')}.`);
  if (lost.providers.length > 0)
    parts.push(`Enter the client secret again on the options page (Import or Save provider) for ${lost.providers.join(', ')}.`);
  return parts.join(' ');
}

/** AES-GCM with a fresh random 96-bit IV per encryption (NIST SP 800-38D 8.2.2). */
export function aesGcmCipher(key: CryptoKey): Cipher {
  return {
    encrypt: async (plain, context) => {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: context }, key, plain);
      return { iv, data: new Uint8Array(data) };
    },
    decrypt: async (iv, data, context) =>
      new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: context }, key, data)),
  };
}

/**
 * The state as storage.local keeps it: every secret field replaced by its Sealed form, bound to
 * its owner and field (a ciphertext moved to another account or field does not decrypt).
 */
export async function sealState(state: StoredState, cipher: Cipher): Promise<Record<keyof StoredState, unknown[]>> {
  return {
    providers: await Promise.all(state.providers.map((p) => sealFields(p, PROVIDER_SECRET_FIELDS, `provider:${p.id}`, cipher))),
    accounts: await Promise.all(state.accounts.map((a) => sealFields(a, ACCOUNT_SECRET_FIELDS, `account:${a.id}`, cipher))),
    approvals: state.approvals,
  };
}

/**
 * The state with its secrets decrypted. Plaintext secrets (stored before encryption) pass as they
 * are. Without a key, or when a ciphertext does not decrypt, nothing throws: the account loses its
 * tokens and needs a reconnect, the provider loses its client secret, and both are listed.
 */
export async function openState(
  stored: Partial<Record<keyof StoredState, unknown>>,
  cipher: Cipher | undefined,
): Promise<{ state: StoredState; unreadable: UnreadableSecrets }> {
  const openedProviders = await Promise.all(
    ((stored.providers ?? []) as Record<string, unknown>[]).map(async (raw) => {
      const opened = await openFields(raw, PROVIDER_SECRET_FIELDS, `provider:${String(raw.id)}`, cipher);
      return {
        ok: opened.ok,
        provider: (opened.ok ? opened.value : withoutFields(opened.value, PROVIDER_SECRET_FIELDS)) as unknown as Provider,
      };
    }),
  );
  const providers = openedProviders.map((p) => p.provider);
  const openedAccounts = await Promise.all(
    ((stored.accounts ?? []) as Record<string, unknown>[]).map(async (raw) => {
      const opened = await openFields(raw, ACCOUNT_SECRET_FIELDS, `account:${String(raw.id)}`, cipher);
      if (opened.ok) return { ok: true, account: opened.value as unknown as Account };
      const { retry: _r, needsSignIn: _s, ...rest } = withoutFields(opened.value, ACCOUNT_SECRET_FIELDS);
      const problem = { kind: 'needs reconnect', message: UNREADABLE_TOKEN_MESSAGE };
      return { ok: false, account: { ...rest, accessToken: '', problem } as unknown as Account };
    }),
  );
  const accounts = openedAccounts.map((a) => a.account);
  // Listed in stored order, by the names the popup shows.
  const unreadable: UnreadableSecrets = {
    accounts: openedAccounts.filter((a) => !a.ok).map(({ account }) => accountName(account, providerOf(providers, account.providerId))),
    providers: openedProviders.filter((p) => !p.ok).map(({ provider }) => provider.name),
  };
  return { state: { providers, accounts, approvals: (stored.approvals ?? []) as StoredState['approvals'] }, unreadable };
}

/** True when any secret field of the stored state is still plaintext (a state from before encryption). */
export function holdsPlaintextSecrets(stored: Partial<Record<keyof StoredState, unknown>>): boolean {
  const plain = (list: unknown, fields: readonly string[]) =>
    ((list ?? []) as Record<string, unknown>[]).some((item) => fields.some((field) => typeof item[field] === 'string'));
  return plain(stored.providers, PROVIDER_SECRET_FIELDS) || plain(stored.accounts, ACCOUNT_SECRET_FIELDS);
}

async function sealFields<T extends object>(item: T, fields: readonly string[], owner: string, cipher: Cipher): Promise<unknown> {
  const sealed: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const field of fields) {
    const value = sealed[field];
    if (typeof value !== 'string') continue;
    const { iv, data } = await cipher.encrypt(utf8.encode(value), utf8.encode(`${owner}:${field}`));
    sealed[field] = { iv: toBase64(iv), data: toBase64(data) } satisfies Sealed;
  }
  return sealed;
}

async function openFields(
  raw: Record<string, unknown>,
  fields: readonly string[],
  owner: string,
  cipher: Cipher | undefined,
): Promise<{ ok: boolean; value: Record<string, unknown> }> {
  const value: Record<string, unknown> = { ...raw };
  let ok = true;
  for (const field of fields) {
    const sealed = value[field];
    if (sealed === undefined || typeof sealed === 'string') continue;
    try {
      if (!cipher || !isSealed(sealed)) throw new Error('no key, or not a ciphertext');
      const plain = await cipher.decrypt(fromBase64(sealed.iv), fromBase64(sealed.data), utf8.encode(`${owner}:${field}`));
      value[field] = new TextDecoder('utf-8', { fatal: true }).decode(plain);
    } catch {
      ok = false;
      delete value[field];
    }
  }
  return { ok, value };
}

function withoutFields(item: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !fields.includes(key)));
}

function isSealed(value: unknown): value is Sealed {
  const candidate = value as Partial<Sealed> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.iv === 'string' && typeof candidate.data === 'string';
}

const utf8 = new TextEncoder();

function toBase64(bytes: Bytes): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Bytes {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
