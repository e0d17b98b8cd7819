import { describe, expect, it } from 'vitest';
import { aesGcmCipher, describeUnreadableSecrets, holdsPlaintextSecrets, openState, sealState, UNREADABLE_TOKEN_MESSAGE } from './secrets';
import { STATE_V1 } from '../../test/fixtures/stored-state-v1';

const newKey = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
const secretsOf = (state: typeof STATE_V1) => [
  ...state.accounts.flatMap((a) => [a.accessToken, a.refreshToken].filter((s): s is string => s !== undefined)),
  ...state.providers.flatMap((p) => (p.clientSecret === undefined ? [] : [p.clientSecret])),
];

describe('sealState / openState', () => {
  it('keeps no secret in the stored text, and opens to the same state', async () => {
    const cipher = aesGcmCipher(await newKey());
    const sealed = await sealState(STATE_V1, cipher);
    const text = JSON.stringify(sealed);
    expect(secretsOf(STATE_V1)).toHaveLength(4);
    for (const secret of secretsOf(STATE_V1)) expect(text).not.toContain(secret);
    expect(holdsPlaintextSecrets(sealed)).toBe(false);
    expect(await openState(JSON.parse(text) as typeof sealed, cipher)).toEqual({
      state: STATE_V1,
      unreadable: { accounts: [], providers: [] },
    });
  });

  it('uses a fresh IV for every encryption: the same token sealed twice differs', async () => {
    const cipher = aesGcmCipher(await newKey());
    const [first, second] = [await sealState(STATE_V1, cipher), await sealState(STATE_V1, cipher)];
    expect(JSON.stringify(first.accounts[0])).not.toBe(JSON.stringify(second.accounts[0]));
  });

  it('reads a state from before encryption as it is', async () => {
    expect(holdsPlaintextSecrets(STATE_V1)).toBe(true);
    expect((await openState(STATE_V1, undefined)).state).toEqual(STATE_V1);
  });

  it('without the key: accounts need a reconnect, providers lose their client secret, and both are named', async () => {
    const sealed = await sealState(STATE_V1, aesGcmCipher(await newKey()));
    const { state, unreadable } = await openState(sealed, aesGcmCipher(await newKey()));
    expect(state.accounts.map((a) => [a.label, a.accessToken, a.refreshToken, a.problem])).toEqual(
      STATE_V1.accounts.map((a) => [a.label, '', undefined, { kind: 'needs reconnect', message: UNREADABLE_TOKEN_MESSAGE }]),
    );
    expect(state.providers.map((p) => p.clientSecret)).toEqual([undefined, undefined]);
    expect(state.approvals).toEqual(STATE_V1.approvals);
    expect(unreadable).toEqual({ accounts: ['ReadyCloud Account 1', 'SkyVault Account 1'], providers: ['SkyVault'] });
    expect(describeUnreadableSecrets(unreadable)).toBe(
      "TokenTap could not decrypt some stored secrets (its key was cleared with the extension's data). " +
        'Reconnect these accounts: ReadyCloud Account 1, SkyVault Account 1. ' +
        'Enter the client secret again on the options page (Import or Save provider) for SkyVault.',
    );
    // The same with no key at all.
    expect((await openState(sealed, undefined)).unreadable.accounts).toHaveLength(2);
  });

  it('a ciphertext moved to another account does not decrypt: only that account is affected', async () => {
    const cipher = aesGcmCipher(await newKey());
    const sealed = await sealState(STATE_V1, cipher);
    const [readycloud, skyvault] = sealed.accounts as Record<string, unknown>[];
    const swapped = { ...sealed, accounts: [{ ...readycloud, accessToken: skyvault!.accessToken }, skyvault] };
    const { state, unreadable } = await openState(swapped, cipher);
    expect(unreadable.accounts).toEqual(['ReadyCloud Account 1']);
    expect(state.accounts[1]).toEqual(STATE_V1.accounts[1]);
  });

  it('an altered ciphertext or a field that is no ciphertext counts as unreadable, not as a crash', async () => {
    const cipher = aesGcmCipher(await newKey());
    const sealed = await sealState(STATE_V1, cipher);
    const [readycloud, skyvault] = sealed.accounts as { accessToken: { iv: string; data: string } }[];
    const flipped = { ...readycloud!.accessToken, data: `A${readycloud!.accessToken.data.slice(1)}` };
    const broken = {
      ...sealed,
      accounts: [
        { ...readycloud, accessToken: flipped },
        { ...skyvault, accessToken: { iv: 'not base64!' } },
      ],
    };
    expect((await openState(broken, cipher)).unreadable.accounts).toHaveLength(2);
  });
});
