import { describe, expect, it } from 'vitest';
import { caught } from '../../test/support/caught';
import { SEED_PROVIDERS_JSON } from '../../test/fixtures/seed-providers';
import { exportProviderJson, parseProviderJson } from './provider';
import { scopesOfChoice } from './scope-options';
import { ProviderJsonError } from './validate-provider';

const READYCLOUD_ACCESS = [
  { label: 'Full access', scopes: ['orders:full'] },
  { label: 'Read only', scopes: ['orders:read'] },
];

/** The seed ReadyCloud provider offering its document's full or read-only access. */
function readyCloudJson(scopeOptions: unknown = READYCLOUD_ACCESS): Record<string, unknown> {
  const document = JSON.parse(SEED_PROVIDERS_JSON) as { providers: Record<string, unknown>[] };
  return { ...document.providers[0]!, scopeOptions };
}

const parse = (provider: unknown) => parseProviderJson(JSON.stringify({ providers: [provider] }));
const errorOf = (provider: unknown): ProviderJsonError => caught(ProviderJsonError, () => parse(provider));

describe('scopeOptions in Provider JSON', () => {
  it('reads a choice of full or read-only access, and Export writes it back as it came', () => {
    const [provider] = parse(readyCloudJson());
    expect(provider!.scopeOptions).toEqual(READYCLOUD_ACCESS);
    const exported = exportProviderJson([provider!], { includeSecrets: false });
    expect(JSON.parse(exported)).toMatchObject({ providers: [{ scopes: ['orders:read'], scopeOptions: READYCLOUD_ACCESS }] });
    expect(parseProviderJson(exported)).toEqual([provider]);
  });

  it('is absent, not empty, for a provider without a choice, and Export writes none', () => {
    const [provider] = parseProviderJson(SEED_PROVIDERS_JSON);
    expect(provider).not.toHaveProperty('scopeOptions');
    expect(exportProviderJson([provider!], { includeSecrets: false })).not.toContain('scopeOptions');
  });

  it('accepts ten options, one asking for no scope, and labels of 40 characters', () => {
    const options = Array.from({ length: 10 }, (_, i) => ({ label: `${i}`.padEnd(40, '.'), scopes: i === 0 ? [] : [`s${i}`] }));
    expect(parse(readyCloudJson(options))[0]!.scopeOptions).toEqual(options);
  });

  it.each([
    [{}, 'providers[0].scopeOptions', 'must be an array like'],
    [[READYCLOUD_ACCESS[0]], 'providers[0].scopeOptions', 'must list 2 to 10 options (it lists 1); leave it out for no choice'],
    [[], 'providers[0].scopeOptions', 'must list 2 to 10 options (it lists 0)'],
    [
      Array.from({ length: 11 }, (_, i) => ({ label: `L${i}`, scopes: [] })),
      'providers[0].scopeOptions',
      'must list 2 to 10 options (it lists 11)',
    ],
    [[READYCLOUD_ACCESS[0], 'Read only'], 'providers[0].scopeOptions[1]', 'must be an object like'],
    [[READYCLOUD_ACCESS[0], { scopes: ['orders:read'] }], 'providers[0].scopeOptions[1].label', 'is required'],
    [[READYCLOUD_ACCESS[0], { label: 7, scopes: [] }], 'providers[0].scopeOptions[1].label', 'must be a string'],
    [[READYCLOUD_ACCESS[0], { label: '  ', scopes: [] }], 'providers[0].scopeOptions[1].label', 'must not be empty'],
    [[READYCLOUD_ACCESS[0], { label: 'x'.repeat(41), scopes: [] }], 'providers[0].scopeOptions[1].label', 'must be at most 40 characters'],
    [[READYCLOUD_ACCESS[0], { label: 'Read\nonly', scopes: [] }], 'providers[0].scopeOptions[1].label', 'must not contain control characters'],
    [
      [READYCLOUD_ACCESS[0], { label: 'Full access', scopes: ['orders:read'] }],
      'providers[0].scopeOptions[1].label',
      '"Full access" is already used by providers[0].scopeOptions[0].label',
    ],
    [[READYCLOUD_ACCESS[0], { label: 'Read only' }], 'providers[0].scopeOptions[1].scopes', 'is required (use [] for no scope parameter)'],
    [
      [READYCLOUD_ACCESS[0], { label: 'Read only', scopes: 'orders:read' }],
      'providers[0].scopeOptions[1].scopes',
      'must be an array of strings',
    ],
    [
      [READYCLOUD_ACCESS[0], { label: 'Read only', scopes: ['orders:read orders:list'] }],
      'providers[0].scopeOptions[1].scopes[0]',
      'must not contain spaces (list each scope separately)',
    ],
    [
      [READYCLOUD_ACCESS[0], { label: 'Read only', scopes: ['"read"'] }],
      'providers[0].scopeOptions[1].scopes[0]',
      'may only contain printable ASCII',
    ],
    [[READYCLOUD_ACCESS[0], { label: 'Read only', scopes: [], default: true }], 'providers[0].scopeOptions[1].default', 'is not a known field'],
  ])('refuses %j, naming %s', (scopeOptions, path, problem) => {
    const error = errorOf(readyCloudJson(scopeOptions));
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path} ${problem}`)).toBe(true);
  });
});

describe('scopesOfChoice: what Connect asks for', () => {
  const [withChoice] = parse(readyCloudJson());
  const [withoutChoice] = parseProviderJson(SEED_PROVIDERS_JSON);

  it('asks for the chosen option by its index, the first by default', () => {
    expect(scopesOfChoice(withChoice!, '1')).toEqual(['orders:read']);
    expect(scopesOfChoice(withChoice!, '0')).toEqual(['orders:full']);
    expect(scopesOfChoice(withChoice!, undefined)).toEqual(['orders:full']);
  });

  it('asks for the provider scopes when it offers no choice', () => {
    expect(scopesOfChoice(withoutChoice!, undefined)).toEqual(['orders:read']);
  });

  it.each(['2', '-1', '01', '1.0', ' 1', '', 'length', '__proto__', '1e0', '100'])('refuses %j, which is none of the options', (choice) => {
    expect(scopesOfChoice(withChoice!, choice)).toBeUndefined();
  });

  it('refuses any choice for a provider that offers none', () => {
    expect(scopesOfChoice(withoutChoice!, '0')).toBeUndefined();
  });
});
