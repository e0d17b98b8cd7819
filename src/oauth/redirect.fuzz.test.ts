// Property-based tests of parseRedirect: whatever URL arrives, the parser returns a well-formed
// AuthorizationResponse that agrees with the URL, or throws an OAuthError with a redirect code.
// Nothing else: no other exception, and never an account (the result is only the parsed answer).
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SignInProvider } from '../providers/model';
import { describeOAuthError, OAuthError, type OAuthErrorCode } from './errors';
import { parseRedirect, type AuthorizationResponse } from './redirect';

const RUNS = { numRuns: 10_000 };

type Flow = SignInProvider['flow'];
type Setup = { provider: Pick<SignInProvider, 'flow' | 'issuer' | 'authorizationUrl'>; pending: { state: string; redirectUri: string } };
/** Every setup's Authorization URL; an `iss` without a configured issuer must name its origin. */
const AUTHORIZATION_URL = 'https://auth.example.com/oauth/authorize';

const REDIRECT_CODES: readonly OAuthErrorCode[] = [
  'access_denied',
  'provider_error',
  'state_mismatch',
  'issuer_mismatch',
  'issuer_missing',
  'missing_code',
  'missing_token',
  'invalid_redirect',
];
const NAMES = ['access_token', 'token_type', 'expires_in', 'scope', 'state', 'code', 'iss', 'error', 'error_description', 'error_uri'];
const SINGLE = ['state', 'error', 'error_description', 'iss', 'code', 'access_token', 'token_type', 'expires_in', 'scope'];
const VSCHARS = /^[\x20-\x7E]+$/;
const TOKEN_KEYS = ['kind', 'accessToken', 'tokenType', 'expiresIn', 'scope'];
const CODE_KEYS = ['kind', 'code', 'iss'];

// ---- generators -------------------------------------------------------------------------------

/** The redirect URIs the extension uses: chromiumapp / allizom (launchWebAuthFlow), a tab-mode page. */
const redirectUriArb = fc.constantFrom(
  'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/',
  'https://0123456789abcdef0123456789abcdef01234567.extensions.allizom.org/',
  'http://127.0.0.1:8765/oauth/callback',
  'https://app.example.com/oauth/done',
);
/** States as startAuthorization makes them (base64url), plus odd ones a pending sign-in could hold. */
const stateArb = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{16,43}$/) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.constantFrom('a b', 'x&y=z#w', '%41', '+', 'ünïcödé', '🔑') },
);
const issuerArb = fc.option(
  fc.constantFrom('https://auth.example.com', 'https://auth.example.com/', 'https://login.example.org/tenant/v2.0', 'weird issuer&#='),
  {
    nil: undefined,
  },
);
const setupArb: fc.Arbitrary<Setup> = fc
  .record({ flow: fc.constantFrom<Flow>('implicit', 'code'), issuer: issuerArb, state: stateArb, redirectUri: redirectUriArb })
  .map(({ flow, issuer, state, redirectUri }) => ({
    provider: { flow, authorizationUrl: AUTHORIZATION_URL, ...(issuer !== undefined && { issuer }) },
    pending: { state, redirectUri },
  }));

/** A value before encoding: a literal, or the pending state / configured issuer (resolved per setup). */
type Value = { lit: string } | { ref: 'state' | 'issuer' | 'stateCased' | 'statePlus' };

const hugeArb = fc
  .tuple(fc.constantFrom('a', 'Z9', '%', '€', ' ', '&'), fc.integer({ min: 2_000, max: 20_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
const tokenLikeArb = fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,60}=*$/);
const bearerArb = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR');
const errorCodeArb = fc.constantFrom(
  'access_denied',
  'server_error',
  'invalid_scope',
  'temporarily_unavailable',
  'access_denied ',
  'ACCESS_DENIED',
);
const literalArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 60, arbitrary: tokenLikeArb },
  {
    weight: 30,
    arbitrary: fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', '+', '%', '%2', '%zz', '%00', '%FF', '%C3%A9', '&', '=', '#', '?'),
  },
  {
    weight: 30,
    arbitrary: fc.constantFrom(
      'Bearer',
      'bearer',
      'BEARER',
      'bEaReR',
      ' bearer',
      'bearer ',
      'Bearer+',
      'mac',
      'DPoP',
      'bеarer',
      'Bearer\u0000',
    ),
  },
  {
    weight: 30,
    arbitrary: fc.constantFrom(
      '3600',
      '0',
      '-1',
      '-3600',
      '1',
      '1e3',
      '3600.5',
      '0x10',
      '+5',
      ' 42',
      '007',
      '999999999999999',
      '9999999999999999',
      'Infinity',
      'NaN',
      '१२३',
    ),
  },
  { weight: 20, arbitrary: errorCodeArb },
  { weight: 20, arbitrary: fc.integer().map(String) },
  { weight: 30, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 20, arbitrary: fc.string({ maxLength: 30, unit: 'grapheme' }) },
  { weight: 10, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
  // Rare, or most URLs would be megabytes: ~1 value in 250.
  { weight: 1, arbitrary: hugeArb },
);
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: literalArb.map((lit) => ({ lit })) },
  { weight: 2, arbitrary: fc.constantFrom<Value>({ ref: 'state' }, { ref: 'issuer' }, { ref: 'stateCased' }, { ref: 'statePlus' }) },
);

/** How a name or value goes into the URL: raw (may break the structure, on purpose) or encoded. */
type Encoding = 'raw' | 'component' | 'form' | 'all';
const encodingArb = fc.constantFrom<Encoding>('component', 'component', 'form', 'raw', 'all');

const nameArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('Access_Token', 'STATE', 'access_token ', ' state', 'access%5Ftoken', 'st%61te', 'code[]', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
interface Param {
  name: string;
  value: Value;
  /** Present without "=", e.g. `&state&` (a rare variant). */
  bare: boolean;
  encoding: Encoding;
}
const paramWithBareArb: fc.Arbitrary<Param> = fc.record({
  name: nameArb,
  value: valueArb,
  bare: fc.integer({ min: 0, max: 19 }).map((roll) => roll === 0),
  encoding: encodingArb,
});

/** A complete answer (before encoding): a token, a code or an error, with state and iss. */
const answerArb: fc.Arbitrary<Param[]> = fc
  .tuple(
    fc.oneof(
      fc
        .record({
          access_token: tokenLikeArb,
          token_type: bearerArb,
          expires_in: fc.option(fc.integer({ min: 1, max: 10 ** 9 })),
          scope: fc.option(fc.constantFrom('read', 'orders:read orders:write', ' a  b ')),
        })
        .map(({ expires_in, scope, ...rest }) => ({
          ...rest,
          ...(expires_in !== null && { expires_in: String(expires_in) }),
          ...(scope !== null && { scope }),
        })),
      fc.record({ code: tokenLikeArb }),
      fc.record({
        error: errorCodeArb,
        error_description: fc.constantFrom('', 'The user said no.', 'line\nbreak', 'tok=abc123DEF456ghi789JKL0'),
      }),
    ),
    fc.constantFrom<Encoding>('component', 'component', 'form', 'all'),
  )
  .map(([fields, encoding]) => [
    { name: 'state', value: { ref: 'state' } as const, bare: false, encoding },
    { name: 'iss', value: { ref: 'issuer' } as const, bare: false, encoding },
    ...Object.entries(fields).map(([name, lit]): Param => ({ name, value: { lit }, bare: false, encoding })),
  ]);

/**
 * Shapes of "?" and "#" parts: a complete answer with some parameters dropped and random ones mixed
 * in, random parameters, an empty part, absent, or junk.
 */
type Part = { params: Param[]; separator: '&' | ';' | '&&' } | { junk: string } | null;
const separatorArb = fc.constantFrom<'&' | ';' | '&&'>('&', '&', '&', '&', '&', '&&', ';');
const mutatedAnswerArb = fc
  .record({
    answer: answerArb,
    drops: fc.array(fc.nat(11), { minLength: 8, maxLength: 8 }),
    extra: fc.array(fc.tuple(fc.nat(10), paramWithBareArb), { maxLength: 4 }),
    separator: separatorArb,
  })
  .map(({ answer, drops, extra, separator }) => {
    const params = answer.filter((_, i) => drops[i] !== 0);
    for (const [at, param] of extra) params.splice(Math.min(at, params.length), 0, param);
    return { params, separator };
  });
const partArb = (): fc.Arbitrary<Part> =>
  fc.oneof(
    { weight: 6, arbitrary: mutatedAnswerArb },
    { weight: 4, arbitrary: fc.record({ params: fc.array(paramWithBareArb, { maxLength: 12 }), separator: separatorArb }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((junk) => ({ junk })) },
  );

/** Where the URL points: the expected redirect URI, or a near miss, or not a URL at all. */
type Base = { kind: 'expected' } | { kind: 'variant'; variant: (typeof VARIANTS)[number] } | { kind: 'random'; text: string };
const VARIANTS = [
  'other-scheme',
  'ws-scheme',
  'other-host',
  'suffix-host',
  'upper-host',
  'trailing-dot-host',
  'port',
  'default-port',
  'other-path',
  'path-suffix',
  'no-slash',
  'userinfo',
  'extension-scheme',
  'javascript',
  'data',
  'backslashes',
  'whitespace',
] as const;
const baseArb: fc.Arbitrary<Base> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Base>({ kind: 'expected' }) },
  { weight: 4, arbitrary: fc.constantFrom(...VARIANTS).map((variant): Base => ({ kind: 'variant', variant })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ maxLength: 60 }), fc.webUrl({ withQueryParameters: true, withFragments: true }))
      .map((text): Base => ({ kind: 'random', text })),
  },
);

interface RedirectCase {
  base: Base;
  query: Part;
  fragment: Part;
}
const caseArb = (params: { query?: fc.Arbitrary<Part>; fragment?: fc.Arbitrary<Part>; base?: fc.Arbitrary<Base> } = {}) =>
  fc.record<RedirectCase>({ base: params.base ?? baseArb, query: params.query ?? partArb(), fragment: params.fragment ?? partArb() });

// ---- building the URL ---------------------------------------------------------------------------

function resolve(value: Value, setup: Setup): string {
  if ('lit' in value) return value.lit;
  switch (value.ref) {
    case 'state':
      return setup.pending.state;
    case 'stateCased':
      return setup.pending.state.toUpperCase();
    case 'statePlus':
      return `${setup.pending.state} `;
    case 'issuer':
      return setup.provider.issuer ?? 'https://auth.example.com';
  }
}

/** The `iss` rule, restated: the configured issuer exactly, else absent or on the Authorization URL's origin. */
function issAccepted(iss: string | null, setup: Setup): boolean {
  if (setup.provider.issuer !== undefined) return iss === setup.provider.issuer;
  return iss === null || (URL.canParse(iss) && new URL(iss).origin === new URL(setup.provider.authorizationUrl).origin);
}

const HEX = Array.from({ length: 256 }, (_, byte) => `%${byte.toString(16).padStart(2, '0')}`);

function encode(text: string, encoding: Encoding): string {
  switch (encoding) {
    case 'raw':
      return text;
    case 'component':
      return encodeURIComponent(text);
    case 'form':
      return new URLSearchParams([['', text]]).toString().slice(1);
    case 'all':
      return Array.from(new TextEncoder().encode(text), (byte) => HEX[byte]).join('');
  }
}

function partText(part: Part, setup: Setup): string | undefined {
  if (part === null) return undefined;
  if ('junk' in part) return part.junk;
  return part.params
    .map((p) => (p.bare ? encode(p.name, p.encoding) : `${encode(p.name, p.encoding)}=${encode(resolve(p.value, setup), p.encoding)}`))
    .join(part.separator);
}

function baseText(base: Base, redirectUri: string): string {
  if (base.kind === 'expected') return redirectUri;
  if (base.kind === 'random') return base.text;
  const url = new URL(redirectUri);
  const hostOnly = url.hostname;
  switch (base.variant) {
    case 'other-scheme': // https <-> http
      return url.protocol === 'https:' ? redirectUri.replace(/^https:/, 'http:') : redirectUri.replace(/^http:/, 'https:');
    case 'ws-scheme':
      return redirectUri.replace(/^https?:/, 'wss:');
    case 'other-host':
      return redirectUri.replace(hostOnly, 'evil.example');
    case 'suffix-host':
      return redirectUri.replace(hostOnly, `${hostOnly}.evil.example`);
    case 'upper-host':
      return redirectUri.replace(hostOnly, hostOnly.toUpperCase());
    case 'trailing-dot-host':
      return redirectUri.replace(hostOnly, `${hostOnly}.`);
    case 'port':
      return `${url.protocol}//${hostOnly}:4444${url.pathname}`;
    case 'default-port':
      return `${url.protocol}//${hostOnly}:${url.protocol === 'https:' ? 443 : 80}${url.pathname}`;
    case 'other-path':
      return `${url.origin}/elsewhere`;
    case 'path-suffix':
      return `${url.origin}${url.pathname}x/`;
    case 'no-slash':
      return `${url.protocol}//${url.host}`;
    case 'userinfo':
      return `${url.protocol}//user:pw@${url.host}${url.pathname}`;
    case 'extension-scheme':
      return `chrome-extension://${'a'.repeat(32)}${url.pathname}`;
    case 'javascript':
      return 'javascript:alert(1)//';
    case 'data':
      return 'data:text/html,hi';
    case 'backslashes':
      return redirectUri.replace(/\//g, '\\');
    case 'whitespace':
      return ` \t${redirectUri}\n`;
  }
}

function buildUrl(c: RedirectCase, setup: Setup): string {
  const query = partText(c.query, setup);
  const fragment = partText(c.fragment, setup);
  return `${baseText(c.base, setup.pending.redirectUri)}${query === undefined ? '' : `?${query}`}${fragment === undefined ? '' : `#${fragment}`}`;
}

// ---- the oracle ---------------------------------------------------------------------------------
// Plain checks rather than expect(): ~30 checks x 10,000 runs each, and expect() costs ~10 µs a call.

function check(condition: boolean, what: string, detail?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)?.slice(0, 300)}`}`);
}

type Outcome = { result: AuthorizationResponse } | { error: OAuthError };

/** Runs the parser; anything thrown that is not an OAuthError fails the property right here. */
function run(url: string, setup: Setup): Outcome {
  try {
    return { result: parseRedirect(url, setup.provider, setup.pending) };
  } catch (error) {
    if (error instanceof OAuthError) return { error };
    throw new Error(`parseRedirect threw a non-OAuthError: ${String(error)}`, { cause: error });
  }
}

/**
 * The parameters the parser reads (RFC 6749 4.1.2 / 4.2.2): the fragment for implicit, the query
 * for code; the other part only when it alone carries an `error`.
 */
function readParams(url: URL, flow: Flow): URLSearchParams {
  const fragment = new URLSearchParams(url.hash.slice(1));
  const [primary, other] = flow === 'implicit' ? [fragment, url.searchParams] : [url.searchParams, fragment];
  const success = flow === 'implicit' ? 'access_token' : 'code';
  return !primary.has('error') && !primary.has(success) && other.has('error') ? other : primary;
}

/** Every result must be well-formed and must be what the URL says; an error is an OAuthError with a redirect code. */
function checkOutcome(outcome: Outcome, url: string, setup: Setup): void {
  if ('error' in outcome) {
    const { error } = outcome;
    check(REDIRECT_CODES.includes(error.code), 'unknown error code', error.code);
    check(error.step === 'authorize', 'step is authorize', error.step);
    check(typeof error.message === 'string' && error.message.length > 0, 'error has a message');
    checkNoLeak(error, url, setup.provider.flow);
    return;
  }
  const { result } = outcome;
  // "Never an account": the parser hands back only the parsed answer (a plain object, no id, no storage).
  check(Object.getPrototypeOf(result) === Object.prototype, 'result is a plain object');

  const parsed = new URL(url);
  const expected = new URL(setup.pending.redirectUri);
  check(
    parsed.protocol === expected.protocol && parsed.host === expected.host && parsed.pathname === expected.pathname,
    'a result came from the expected redirect URI',
    url,
  );
  const params = readParams(parsed, setup.provider.flow);
  for (const name of SINGLE) check(params.getAll(name).length <= 1, 'no repeated parameter in an accepted answer', name);
  check(params.get('state') === setup.pending.state, 'the state matched');
  check(!params.has('error'), 'an accepted answer has no error');
  check(issAccepted(params.get('iss'), setup), "the issuer matched, or an iss without one named the Authorization URL's origin");

  if (setup.provider.flow === 'implicit') {
    check(result.kind === 'token', 'implicit gives a token', result);
    for (const key of Object.keys(result)) check(TOKEN_KEYS.includes(key), 'only token fields', key);
    check(typeof result.accessToken === 'string' && VSCHARS.test(result.accessToken), 'access token is printable ASCII, non-empty');
    check(result.accessToken === params.get('access_token'), 'access token is the one sent');
    check(result.tokenType === 'bearer', 'tokenType bearer');
    check(/^bearer$/i.test(params.get('token_type') ?? ''), 'token_type was bearer in some case');
    const expiresIn = params.get('expires_in');
    if (expiresIn === null) {
      check(!('expiresIn' in result), 'no expiresIn without expires_in');
    } else {
      check(Number.isSafeInteger(result.expiresIn) && result.expiresIn! > 0, 'expiresIn a positive integer', result.expiresIn);
      check(/^\d+$/.test(expiresIn) && result.expiresIn === Number(expiresIn), 'expiresIn is expires_in', expiresIn);
    }
    const scope = params.get('scope');
    if (scope === null) {
      check(!('scope' in result), 'no scope without scope');
    } else {
      check(Array.isArray(result.scope), 'scope an array');
      for (const entry of result.scope) check(typeof entry === 'string' && entry !== '' && !entry.includes(' '), 'scope entries', entry);
      check(result.scope.join(' ') === scope.split(' ').filter(Boolean).join(' '), 'scope is the space-separated list sent');
    }
  } else {
    check(result.kind === 'code', 'code flow gives a code', result);
    for (const key of Object.keys(result)) check(CODE_KEYS.includes(key), 'only code fields', key);
    check(typeof result.code === 'string' && VSCHARS.test(result.code), 'code is printable ASCII, non-empty');
    check(result.code === params.get('code'), 'code is the one sent');
    if (setup.provider.issuer === undefined) check(!('iss' in result), 'no iss without a configured issuer');
    else check(result.iss === setup.provider.issuer, 'iss is the configured issuer');
  }
}

/** No access token or code of 8+ characters from the part read ends up in what an error shows. */
function checkNoLeak(error: OAuthError, url: string, flow: Flow): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return; // not a URL: nothing was read from it
  }
  const params = readParams(parsed, flow);
  const secrets = [...params.getAll('access_token'), ...params.getAll('code')].filter((secret) => secret.length >= 8);
  if (secrets.length === 0) return;
  const shown = [error.message, error.providerError ?? '', error.providerDescription ?? '', describeOAuthError(error, 'Provider')];
  for (const secret of secrets) for (const text of shown) check(!text.includes(secret), 'a token leaked into an error', { secret, text });
}

// ---- properties -----------------------------------------------------------------------------------

// 10,000 runs per property take ~1 s each; the timeout leaves room for a slow CI machine.
describe('parseRedirect (property-based)', { timeout: 60_000 }, () => {
  it('any URL: a well-formed result that matches the URL, or an OAuthError with a redirect code', () => {
    const tally = { results: 0, codes: new Set<string>(), kinds: new Set<string>() };
    fc.assert(
      fc.property(setupArb, caseArb(), (setup, c) => {
        const url = buildUrl(c, setup);
        const outcome = run(url, setup);
        checkOutcome(outcome, url, setup);
        if ('result' in outcome) {
          tally.results++;
          tally.kinds.add(outcome.result.kind);
        } else {
          tally.codes.add(outcome.error.code);
        }
      }),
      RUNS,
    );
    // The generator reaches both sides: some answers are accepted, every kind of rejection happens.
    expect(tally.results).toBeGreaterThan(100); // typically 3-4 %
    expect([...tally.kinds].sort()).toEqual(['code', 'token']);
    expect([...tally.codes].sort()).toEqual([...REDIRECT_CODES].sort());
  });

  it('totally random strings as the redirect URL: never anything but an OAuthError', () => {
    fc.assert(
      fc.property(
        setupArb,
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ maxLength: 200, unit: 'binary' }),
          fc.webUrl({ withFragments: true, withQueryParameters: true }),
        ),
        (setup, url) => {
          checkOutcome(run(url, setup), url, setup);
        },
      ),
      RUNS,
    );
  });

  it('a wrong state never yields a result', () => {
    const wrongState = fc.record({ value: fc.oneof(stateArb, fc.constant(''), literalArb), encoding: encodingArb });
    fc.assert(
      fc.property(setupArb, caseArb({ base: fc.constant<Base>({ kind: 'expected' }) }), wrongState, (setup, c, wrong) => {
        fc.pre(wrong.value !== setup.pending.state);
        // The wrong state goes into both parts, so whichever part the parser reads carries it.
        const stateParam: Param = { name: 'state', value: { lit: wrong.value }, bare: false, encoding: wrong.encoding };
        const withState = (part: Part): Part => ({
          params: [stateParam, ...(part !== null && 'params' in part ? part.params.filter((p) => p.name !== 'state') : [])],
          separator: '&',
        });
        const url = buildUrl({ ...c, query: withState(c.query), fragment: withState(c.fragment) }, setup);
        // A raw "#" or "&" in a value can cut the state off; the case needs a wrong state on both sides.
        const parsed = new URL(url);
        for (const params of [parsed.searchParams, new URLSearchParams(parsed.hash.slice(1))]) {
          fc.pre(params.has('state') && !params.getAll('state').includes(setup.pending.state));
        }
        const outcome = run(url, setup);
        checkOutcome(outcome, url, setup);
        check('error' in outcome, 'a wrong state gave a result', url);
        check(['state_mismatch', 'invalid_redirect'].includes(outcome.error.code), 'state_mismatch', outcome.error.code);
      }),
      RUNS,
    );
  });

  it('an error= parameter in the part the flow reads never yields a result', () => {
    const errorParam = fc.record({ name: fc.constant('error'), value: valueArb, bare: fc.constant(false), encoding: encodingArb });
    fc.assert(
      fc.property(setupArb, caseArb({ base: fc.constant<Base>({ kind: 'expected' }) }), errorParam, fc.nat(12), (setup, c, error, at) => {
        const key = setup.provider.flow === 'implicit' ? 'fragment' : 'query';
        const part = c[key];
        const params = part !== null && 'params' in part ? [...part.params] : [];
        params.splice(Math.min(at, params.length), 0, error);
        const url = buildUrl({ ...c, [key]: { params, separator: '&' } }, setup);
        // Junk in the other part (a raw "#") can swallow the parameter; the case needs it to arrive.
        const parsed = new URL(url);
        fc.pre((key === 'fragment' ? new URLSearchParams(parsed.hash.slice(1)) : parsed.searchParams).has('error'));
        const outcome = run(url, setup);
        checkOutcome(outcome, url, setup);
        check('error' in outcome, 'an error= answer gave a result', url);
        // A good state and iss (and nothing repeated) make it the provider's error, as sent.
        const read = readParams(new URL(url), setup.provider.flow);
        const clean =
          read.getAll('error').length === 1 &&
          SINGLE.every((name) => read.getAll(name).length <= 1) &&
          (read.get('state') === null || read.get('state') === setup.pending.state) &&
          issAccepted(read.get('iss'), setup);
        if (clean) {
          const code = read.get('error') === 'access_denied' ? 'access_denied' : 'provider_error';
          check(outcome.error.code === code, `the provider's error is ${code}`, outcome.error.code);
        }
      }),
      RUNS,
    );
  });

  it('implicit: a result exactly when token_type is "bearer" in any letter case', () => {
    const tokenTypeArb = fc.oneof(
      fc.constantFrom('bearer', 'Bearer', 'BEARER', 'bEaReR', 'BeArEr'),
      fc.constantFrom(
        '',
        ' bearer',
        'bearer ',
        'bearer\t',
        'bear',
        'bearers',
        'mac',
        'DPoP',
        'Bearer,DPoP',
        'bеarer',
        'ＢＥＡＲＥＲ',
        'bearer\u0000',
        'BEARER\u200b',
      ),
      fc.stringMatching(/^[bB][eE][aA][rR][eE][rR]$/),
      fc.string({ maxLength: 8 }),
    );
    const validToken = fc.stringMatching(/^[\x21-\x7E][\x20-\x7E]{0,80}$/);
    fc.assert(
      fc.property(setupArb, validToken, tokenTypeArb, fc.option(fc.integer({ min: 1, max: 10 ** 9 })), (setup, token, tokenType, expiresIn) => {
        const provider = { ...setup.provider, flow: 'implicit' as const };
        const params = new URLSearchParams({ access_token: token, token_type: tokenType, state: setup.pending.state });
        if (expiresIn !== null) params.set('expires_in', String(expiresIn));
        if (provider.issuer !== undefined) params.set('iss', provider.issuer);
        const url = `${setup.pending.redirectUri}#${params}`;
        const outcome = run(url, { ...setup, provider });
        checkOutcome(outcome, url, { ...setup, provider });
        check('result' in outcome === /^bearer$/i.test(tokenType), 'accepted exactly for bearer', tokenType);
        if ('error' in outcome) check(outcome.error.code === 'invalid_redirect', 'a bad token_type is invalid_redirect', outcome.error.code);
      }),
      RUNS,
    );
  });

  it('well-formed answers of both flows are accepted, with exactly what they carry', () => {
    const vschar = fc.stringMatching(/^[\x20-\x7E]{1,100}$/).filter((s) => s.trim() === s || s.trim() !== '');
    const scopeArb = fc.array(fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,20}$/), { maxLength: 5 });
    fc.assert(
      fc.property(
        setupArb,
        vschar,
        fc.option(fc.integer({ min: 1, max: 999_999_999_999_999 })),
        fc.option(scopeArb),
        fc.boolean(),
        (setup, secret, expiresIn, scope, junkInOtherPart) => {
          const { flow, issuer } = setup.provider;
          const params = new URLSearchParams();
          params.set('state', setup.pending.state);
          if (issuer !== undefined) params.set('iss', issuer);
          if (flow === 'implicit') {
            params.set('access_token', secret);
            params.set('token_type', 'Bearer');
            if (expiresIn !== null) params.set('expires_in', String(expiresIn));
            if (scope !== null) params.set('scope', scope.join(' '));
          } else {
            params.set('code', secret);
          }
          const other = junkInOtherPart ? 'state=nope&error=ignored&code=x&access_token=y' : '';
          const url =
            flow === 'implicit'
              ? `${setup.pending.redirectUri}${other ? `?${other}` : ''}#${params}`
              : `${setup.pending.redirectUri}?${params}${other ? `#${other}` : ''}`;
          const outcome = run(url, setup);
          checkOutcome(outcome, url, setup);
          const expected: AuthorizationResponse =
            flow === 'implicit'
              ? {
                  kind: 'token',
                  accessToken: secret,
                  tokenType: 'bearer',
                  ...(expiresIn !== null && { expiresIn }),
                  ...(scope !== null && { scope }),
                }
              : { kind: 'code', code: secret, ...(issuer !== undefined && { iss: issuer }) };
          check(isDeepStrictEqual(outcome, { result: expected }), 'the well-formed answer is read as sent', { url, outcome });
        },
      ),
      RUNS,
    );
  });
});
