import { describe, expect, it } from 'vitest';
import type { StoredState } from '../storage/store';
import { readycloud, skyvault } from '../../test/fixtures/endpoint-providers';
import {
  endpointsRefusedMessage,
  hostNames,
  hostPatterns,
  hostsNeeded,
  missingAccessNote,
  missingByKey,
  providerEndpoints,
} from './permissions';

const account = (id: string, providerId: string) => ({ id, providerId, label: 'Account 1', accessToken: 't', scopes: [], obtainedAt: 0 });

describe('providerEndpoints', () => {
  it('lists the URLs the background fetches: token, revocation, issuer', () => {
    expect(providerEndpoints(skyvault)).toEqual([skyvault.tokenUrl, skyvault.revocationUrl]);
    expect(providerEndpoints({ ...skyvault, issuer: 'https://id.skyvault.example' })).toContain('https://id.skyvault.example');
    expect(providerEndpoints({})).toEqual([]);
  });
});

describe('hostsNeeded', () => {
  it('asks for the token endpoints always, and the sites and API once a site is approved', () => {
    const { tokenUrl: _t, revocationUrl: _r, ...implicit } = readycloud;
    const state = {
      providers: [skyvault, implicit],
      accounts: [account('a1', 'skyvault'), account('a2', 'readycloud'), account('a3', 'gone')],
      approvals: [{ accountId: 'a2', origin: 'http://localhost:3000', approvedAt: 1 }],
    } as unknown as StoredState;
    expect(hostsNeeded(state)).toEqual({
      a1: [skyvault.tokenUrl, skyvault.revocationUrl],
      a2: ['http://localhost:3000', 'https://api.skyvault.example/v1/'],
    });
    expect(hostsNeeded(undefined)).toEqual({});
  });
});

describe('missingByKey', () => {
  it('names, per account, the host patterns not granted, once each; accounts missing none are left out', () => {
    const needed = hostsNeeded({
      providers: [skyvault],
      accounts: [account('a1', 'skyvault'), account('a2', 'skyvault')],
      approvals: [{ accountId: 'a2', origin: 'http://localhost:3000', approvedAt: 1 }],
    } as unknown as StoredState);
    const granted = new Set(['https://auth.skyvault.example/*', 'https://revoke.skyvault.example/*', 'http://localhost/*']);
    expect(missingByKey(needed, granted)).toEqual({ a2: ['https://api.skyvault.example/*'] });
    expect(missingByKey(needed, new Set())).toEqual({
      a1: ['https://auth.skyvault.example/*', 'https://revoke.skyvault.example/*'],
      a2: ['https://auth.skyvault.example/*', 'https://revoke.skyvault.example/*', 'http://localhost/*', 'https://api.skyvault.example/*'],
    });
  });
});

describe('messages', () => {
  it('name hosts, not match patterns', () => {
    expect(hostNames(hostPatterns(['http://localhost:3000', 'https://api.example.com/v1/']))).toBe('localhost, api.example.com');
    expect(missingAccessNote(['http://127.0.0.1/*'])).toBe(
      'The browser does not let TokenTap reach 127.0.0.1, so this token is not attached or renewed there.',
    );
    expect(endpointsRefusedMessage('SkyVault', providerEndpoints(skyvault))).toBe(
      'TokenTap was not allowed to reach auth.skyvault.example, revoke.skyvault.example, where SkyVault issues tokens, so it could not sign in or renew there. Nothing was changed.',
    );
  });
});
