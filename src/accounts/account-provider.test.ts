import { describe, expect, it } from 'vitest';
import { readycloud, seedAccounts as accounts, skyvault } from '../../test/fixtures/seed-accounts';
import { accountName, accountWithProvider, providerOf } from './account-provider';

const state = { providers: [readycloud, skyvault], accounts };

describe('providerOf', () => {
  it('finds the provider by its id', () => {
    expect(providerOf(state.providers, 'skyvault')).toBe(skyvault);
    expect(providerOf(state.providers, readycloud.id)).toBe(readycloud);
  });

  it('gives undefined for a removed provider or no id', () => {
    expect(providerOf([readycloud], 'skyvault')).toBeUndefined();
    expect(providerOf(state.providers, undefined)).toBeUndefined();
  });
});

describe('accountWithProvider', () => {
  it('gives the account with its provider', () => {
    expect(accountWithProvider(state, 'sky-2')).toEqual({ account: accounts[1], provider: skyvault });
    expect(accountWithProvider(state, 'ready-1')).toEqual({ account: accounts[2], provider: readycloud });
  });

  it('gives undefined for an account no longer there, or one whose provider was removed', () => {
    expect(accountWithProvider(state, 'sky-3')).toBeUndefined();
    expect(accountWithProvider({ ...state, providers: [readycloud] }, 'sky-1')).toBeUndefined();
  });
});

describe('accountName', () => {
  it("names an account by its provider's name and its label", () => {
    expect(accountName(accounts[0]!, skyvault)).toBe('SkyVault Account 1');
    expect(accountName(accounts[1]!, skyvault)).toBe('SkyVault Account 2');
  });

  it("uses the provider's id once the provider is gone", () => {
    expect(accountName(accounts[2]!, undefined)).toBe('readycloud Account 1');
  });
});
