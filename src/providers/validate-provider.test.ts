import { describe, expect, it } from 'vitest';
import { caught } from '../../test/support/caught';
import { MAX_API_BASE_URLS, ProviderJsonError, validateProvider } from './validate-provider';
import { PRODUCT_EXAMPLE_JSON } from '../../test/fixtures/seed-providers';

/** The README's SkyVault example (Provider JSON) as an object, to be changed one field at a time. */
function skyvaultJson(): Record<string, unknown> {
  return (JSON.parse(PRODUCT_EXAMPLE_JSON) as { providers: Record<string, unknown>[] }).providers[0]!;
}

const errorOf = (run: () => unknown): ProviderJsonError => caught(ProviderJsonError, run);

const baseUrls = (count: number) => Array.from({ length: count }, (_, i) => `https://api.skyvault.example/v${i}/`);

describe('validateProvider: what a provider may have its token attached to', () => {
  it(`accepts up to ${MAX_API_BASE_URLS} API base URLs`, () => {
    expect(validateProvider({ ...skyvaultJson(), apiBaseUrls: baseUrls(20) }).apiBaseUrls).toHaveLength(20);
  });

  it('refuses 21 API base URLs, saying how many and what to do', () => {
    const error = errorOf(() => validateProvider({ ...skyvaultJson(), apiBaseUrls: baseUrls(21) }, 'providers[0]'));
    expect(error.path).toBe('providers[0].apiBaseUrls');
    expect(error.message).toBe(
      "providers[0].apiBaseUrls must list at most 20 URLs (it lists 21); use a shorter common prefix, such as the API's root",
    );
  });

  it.each(['Cookie', 'host', 'Origin', 'Referer', 'Content-Type', 'Proxy-Authorization', 'Sec-Fetch-Mode', 'X-HTTP-Method-Override'])(
    'refuses header name %s, naming the field',
    (name) => {
      const error = errorOf(() => validateProvider({ ...skyvaultJson(), header: { name, prefix: '' } }, 'providers[0]'));
      expect(error.path).toBe('providers[0].header.name');
      expect(error.message).toBe(
        `providers[0].header.name must not be ${JSON.stringify(name)}: the browser or the request sets that header itself; use the header the API reads the token from, such as "Authorization"`,
      );
    },
  );

  it('keeps accepting custom token headers', () => {
    expect(validateProvider({ ...skyvaultJson(), header: { name: 'X-Api-Key', prefix: '' } }).header).toEqual({
      name: 'X-Api-Key',
      prefix: '',
    });
  });
});

describe('validateProvider: header.token', () => {
  const headerOf = (token: unknown) =>
    validateProvider({ ...skyvaultJson(), header: { name: 'Authorization', prefix: 'Bearer', token } }, 'providers[0]').header;

  it('takes "id_token", and stores "access_token" (the default) as no token at all', () => {
    expect(headerOf('id_token')).toEqual({ name: 'Authorization', prefix: 'Bearer', token: 'id_token' });
    expect(headerOf('access_token')).toEqual({ name: 'Authorization', prefix: 'Bearer' });
    expect(headerOf(undefined)).toEqual({ name: 'Authorization', prefix: 'Bearer' });
  });

  it.each(['refresh_token', 'ID_TOKEN', '', 1, null])('refuses %j, naming the field and the two it may be', (token) => {
    const error = errorOf(() => headerOf(token));
    expect(error.path).toBe('providers[0].header.token');
    expect(error.message).toBe('providers[0].header.token must be "access_token" (the default) or "id_token" (the OpenID Connect ID Token)');
  });
});
