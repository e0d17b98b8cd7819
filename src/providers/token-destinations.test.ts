import { describe, expect, it } from 'vitest';
import { parseProviderJson } from './provider';
import type { Provider } from './model';
import { PRODUCT_EXAMPLE_JSON } from '../../test/fixtures/seed-providers';
import { listInWords } from '../list-in-words';
import { describeConsequences, keepsClientSecret, reviewTokenMoves, tokenDestinationChanges } from './token-destinations';

/** The README's SkyVault example, as Import stores it. */
const SKYVAULT: Provider = parseProviderJson(PRODUCT_EXAMPLE_JSON)[0]!;
const ACCOUNTS = [
  { providerId: 'skyvault', label: 'Account 1' },
  { providerId: 'readycloud', label: 'Account 1' },
  { providerId: 'skyvault', label: 'fred@example.com' },
];

/** SkyVault with some fields replaced, parsed as an import would (so defaults and checks apply). */
function imported(changes: Record<string, unknown>): Provider {
  const document = JSON.parse(PRODUCT_EXAMPLE_JSON) as { providers: Record<string, unknown>[] };
  const provider = { ...document.providers[0]!, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete provider[key];
  return parseProviderJson(JSON.stringify({ providers: [provider] }))[0]!;
}

describe('tokenDestinationChanges', () => {
  it('lists a userinfo URL that is set or moves to another origin, as the access token goes there', () => {
    const withUserinfo = imported({ userinfoUrl: 'https://auth.skyvault.example/userinfo' });
    expect(tokenDestinationChanges(SKYVAULT, withUserinfo)).toEqual(['Userinfo URL is set to https://auth.skyvault.example (there was none)']);
    expect(tokenDestinationChanges(withUserinfo, imported({ userinfoUrl: 'https://auth.skyvault.example/v2/me' }))).toEqual([]);
    expect(tokenDestinationChanges(withUserinfo, imported({ userinfoUrl: 'https://me.evil.example/userinfo' }))).toEqual([
      'Userinfo URL moves from https://auth.skyvault.example to https://me.evil.example',
    ]);
  });

  it('lists nothing for the same provider, or for changes that send tokens nowhere new', () => {
    expect(tokenDestinationChanges(SKYVAULT, SKYVAULT)).toEqual([]);
    const sameHosts = imported({
      name: 'SkyVault EU',
      tokenUrl: 'https://auth.skyvault.example/v2/token',
      revocationUrl: undefined,
      scopes: ['public_api', 'admin'],
      apiBaseUrls: ['https://api.skyvault.example/v2/', 'https://api.skyvault.example/files/'],
      header: { name: 'X-Token', prefix: '' },
      clientSecret: 'another-secret',
      extraParams: { prompt: 'consent' },
      tokenParams: { audience: 'https://evil.example/', resource: 'https://evil.example/api' },
    });
    expect(tokenDestinationChanges(SKYVAULT, sameHosts)).toEqual([]);
  });

  it('lists each endpoint that moves to another origin, the client ID, and new API origins', () => {
    const takeover = imported({
      authorizationUrl: 'https://login.evil.example/authorize',
      tokenUrl: 'https://evil.example/oauth/token',
      revocationUrl: 'https://evil.example:8443/revoke',
      clientId: 'their-key',
      apiBaseUrls: ['https://api.skyvault.example/', 'https://evil.example/api/', 'https://evil.example/other/'],
    });
    expect(tokenDestinationChanges(SKYVAULT, takeover)).toEqual([
      'Authorization URL moves from https://auth.skyvault.example to https://login.evil.example',
      'Token URL moves from https://auth.skyvault.example to https://evil.example',
      'Revocation URL moves from https://auth.skyvault.example to https://evil.example:8443',
      'Client ID changes from "my-api-key" to "their-key"',
      'API base URLs add the origin https://evil.example',
    ]);
  });

  it('tells a scheme or port change apart: another origin', () => {
    const local = imported({ tokenUrl: 'http://localhost:8080/token', apiBaseUrls: ['https://api.skyvault.example:444/'] });
    expect(tokenDestinationChanges(SKYVAULT, local)).toEqual([
      'Token URL moves from https://auth.skyvault.example to http://localhost:8080',
      'API base URLs add the origin https://api.skyvault.example:444',
    ]);
  });

  it('lists an endpoint or issuer that is set where there was none, and an issuer changed or removed', () => {
    const withoutRevocation = imported({ revocationUrl: undefined });
    expect(tokenDestinationChanges(withoutRevocation, SKYVAULT)).toEqual([
      'Revocation URL is set to https://auth.skyvault.example (there was none)',
    ]);
    const issuer = imported({ issuer: 'https://auth.skyvault.example' });
    expect(tokenDestinationChanges(SKYVAULT, issuer)).toEqual(['Issuer is set to https://auth.skyvault.example (there was none)']);
    expect(tokenDestinationChanges(issuer, imported({ issuer: 'https://evil.example' }))).toEqual([
      'Issuer changes from https://auth.skyvault.example to https://evil.example',
    ]);
    expect(tokenDestinationChanges(issuer, SKYVAULT)).toEqual(['Issuer https://auth.skyvault.example is removed']);
  });
});

describe('keepsClientSecret', () => {
  it('keeps it for the same client at the same token and revocation origins (paths may change)', () => {
    expect(keepsClientSecret(SKYVAULT, imported({ clientSecret: undefined }))).toBe(true);
    expect(keepsClientSecret(SKYVAULT, imported({ tokenUrl: 'https://auth.skyvault.example/v2/token' }))).toBe(true);
    expect(keepsClientSecret(SKYVAULT, imported({ revocationUrl: undefined }))).toBe(true);
  });

  it('does not keep it for another client ID, or when a token or revocation origin is new', () => {
    expect(keepsClientSecret(SKYVAULT, imported({ clientId: 'their-key' }))).toBe(false);
    expect(keepsClientSecret(SKYVAULT, imported({ tokenUrl: 'https://evil.example/token' }))).toBe(false);
    expect(keepsClientSecret(SKYVAULT, imported({ revocationUrl: 'https://evil.example/revoke' }))).toBe(false);
    expect(keepsClientSecret(imported({ revocationUrl: undefined }), imported({ revocationUrl: 'https://evil.example/revoke' }))).toBe(false);
  });
});

describe('reviewTokenMoves', () => {
  const moved = imported({ tokenUrl: 'https://evil.example/oauth/token', clientSecret: undefined });

  it('asks about a connected provider whose tokens would go elsewhere, naming its accounts', () => {
    expect(reviewTokenMoves([SKYVAULT], ACCOUNTS, [moved])).toEqual([
      {
        providerId: 'skyvault',
        providerName: 'SkyVault',
        changes: ['Token URL moves from https://auth.skyvault.example to https://evil.example'],
        accounts: ['SkyVault Account 1', 'SkyVault fred@example.com'],
        secretDropped: true,
      },
    ]);
  });

  it('says the secret stays when the document brings its own', () => {
    const withSecret = imported({ tokenUrl: 'https://evil.example/oauth/token', clientSecret: 'typed-again' });
    expect(reviewTokenMoves([SKYVAULT], ACCOUNTS, [withSecret])[0]!.secretDropped).toBe(false);
  });

  it('does not ask for a provider without accounts, a new provider, or a change that moves nothing', () => {
    expect(reviewTokenMoves([SKYVAULT], [{ providerId: 'readycloud', label: 'Account 1' }], [moved])).toEqual([]);
    expect(reviewTokenMoves([], ACCOUNTS, [moved])).toEqual([]);
    expect(reviewTokenMoves([SKYVAULT], ACCOUNTS, [imported({ name: 'SkyVault EU', scopes: [] })])).toEqual([]);
  });
});

describe('describeConsequences', () => {
  it('names the accounts that lose their tokens, and says when the secret must be entered again', () => {
    const review = { providerId: 'skyvault', providerName: 'SkyVault', changes: [], accounts: ['SkyVault Account 1'], secretDropped: false };
    expect(describeConsequences(review)).toEqual(['SkyVault Account 1 loses its access and refresh tokens and needs Reconnect.']);
    expect(describeConsequences({ ...review, accounts: ['SkyVault A', 'SkyVault B'], secretDropped: true })).toEqual([
      'SkyVault A and SkyVault B lose their access and refresh tokens and need Reconnect.',
      'The stored client secret is not kept: enter it again.',
    ]);
  });
});

describe('listInWords', () => {
  it.each([
    [[], ''],
    [['A'], 'A'],
    [['A', 'B'], 'A and B'],
    [['A', 'B', 'C'], 'A, B and C'],
  ])('%j → %j', (items, words) => {
    expect(listInWords(items)).toBe(words);
  });
});
