// Exhaustive validation of one provider object (from imported JSON or the options form).
// Every field is checked for type and range before anything trusts it; the first bad field throws.
import { headerNameProblem } from '../inject/header-names';
import { VSCHARS } from '../oauth/vschar';
import { isAllowedEndpoint } from './endpoint-url';
import {
  HEADER_TOKENS,
  isWindowless,
  SIGN_IN_FIELDS,
  type ClientAuth,
  type Flow,
  type HeaderSpec,
  type Provider,
  type RedirectMode,
  type ScopeOption,
} from './model';

/** A bad provider field: `path` names it (`providers[1].tokenUrl`; '' for the document itself). */
export class ProviderJsonError extends Error {
  override readonly name = 'ProviderJsonError';
  readonly path: string;

  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

export interface ValidateProviderOptions {
  /** Ids already used (id → path of its first use): a repeat is an error on `id`. */
  takenIds?: ReadonlyMap<string, string>;
}

const PROVIDER_KEYS: readonly string[] = [
  'id',
  'name',
  'flow',
  'authorizationUrl',
  'tokenUrl',
  'revocationUrl',
  'deviceAuthorizationUrl',
  'userinfoUrl',
  'refreshTokenTtl',
  'issuer',
  'requireIss',
  'redirectMode',
  'redirectUri',
  'clientId',
  'clientSecret',
  'clientAuth',
  'pkce',
  'scopes',
  'scopeOptions',
  'extraParams',
  'tokenParams',
  'apiBaseUrls',
  'header',
];
const HEADER_KEYS: readonly string[] = ['name', 'prefix', 'token'];
const SCOPE_OPTION_KEYS: readonly string[] = ['label', 'scopes'];
/** A choice needs two options; more than ten would not read as a choice in the popup's select. */
export const MIN_SCOPE_OPTIONS = 2;
export const MAX_SCOPE_OPTIONS = 10;
/** The popup shows a label beside its Connect button. */
export const MAX_SCOPE_OPTION_LABEL_LENGTH = 40;
export const DEFAULT_HEADER: Readonly<HeaderSpec> = { name: 'Authorization', prefix: 'Bearer' };
/** Authorize-URL parameters TokenTap sets itself; `extraParams` may not override them. */
export const RESERVED_AUTHORIZE_PARAMS: readonly string[] = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
];
/** Token-request parameters TokenTap or the client authentication sets; `tokenParams` may not override them. */
export const RESERVED_TOKEN_PARAMS: readonly string[] = [
  'grant_type',
  'code',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
];

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** RFC 6749 3.3 scope-token: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
export const CONTROL_CHARS = /\p{Cc}/u;
const HTTPS_OR_LOCAL = 'must be an https URL (or http on localhost / 127.0.0.1)';
const MAX_NAME_LENGTH = 80;
/** Each base URL costs every account one browser rule (two with its API origin approved): a cap keeps one provider from crowding out the rest. */
export const MAX_API_BASE_URLS = 20;

/**
 * Validates one provider object and fills the defaults (clientAuth "body", pkce true (false for
 * client credentials and device, which refuse the sign-in fields), scopes [], extraParams {}, no tokenParams,
 * header Authorization/Bearer with the access token; an absent redirectMode means "identity"). `path`
 * prefixes error paths ('' for bare field names).
 */
export function validateProvider(value: unknown, path = '', options: ValidateProviderOptions = {}): Provider {
  const field = (key: string): string => join(path, key);
  if (!isPlainObject(value)) fail(path || 'provider', 'must be an object');
  for (const key of Object.keys(value)) {
    if (!PROVIDER_KEYS.includes(key)) fail(join(path, key), 'is not a known field');
  }

  const id = requireString(value, 'id', field);
  if (!ID.test(id)) {
    fail(field('id'), 'must be 1-64 lowercase letters, digits or "-", starting with a letter or digit');
  }
  const firstUse = options.takenIds?.get(id);
  if (firstUse !== undefined) fail(field('id'), `"${id}" is already used by ${firstUse}`);

  const name = requireString(value, 'name', field);
  if (name.trim() === '') fail(field('name'), 'must not be empty');
  if (name.length > MAX_NAME_LENGTH) fail(field('name'), `must be at most ${MAX_NAME_LENGTH} characters`);
  if (CONTROL_CHARS.test(name)) fail(field('name'), 'must not contain control characters');

  const flow = requireString(value, 'flow', field);
  if (!isFlow(flow)) fail(field('flow'), 'must be "implicit", "code", "client_credentials" or "device"');
  const clientCredentials = flow === 'client_credentials';
  if (isWindowless(flow)) {
    const signInField = SIGN_IN_FIELDS.find((key) => value[key] !== undefined);
    const why = clientCredentials ? 'no one signs in' : 'the user signs in on the provider’s own page, nothing is redirected';
    if (signInField !== undefined) fail(field(signInField), `is not used when flow is "${flow}" (${why}): leave it out`);
  }

  // With an issuer, Import fills the endpoints from its metadata first (from-metadata.ts): one still missing is not in it.
  const notInMetadata = typeof value['issuer'] === 'string' ? `, and the issuer's metadata names none` : '';
  if (!isWindowless(flow) && value['authorizationUrl'] === undefined) fail(field('authorizationUrl'), `is required${notInMetadata}`);
  const authorizationUrl = optional(value['authorizationUrl'], (url) => readEndpointUrl(url, field('authorizationUrl'), true));
  if (flow !== 'implicit' && value['tokenUrl'] === undefined) {
    fail(field('tokenUrl'), `is required when flow is "${flow}"${notInMetadata}`);
  }
  const tokenUrl = optional(value['tokenUrl'], (url) => readEndpointUrl(url, field('tokenUrl'), false));
  const revocationUrl = optional(value['revocationUrl'], (url) => readEndpointUrl(url, field('revocationUrl'), false));
  if (flow === 'device' && value['deviceAuthorizationUrl'] === undefined) {
    fail(field('deviceAuthorizationUrl'), `is required when flow is "device"${notInMetadata}`);
  }
  const deviceAuthorizationUrl = optional(value['deviceAuthorizationUrl'], (url) => {
    if (flow !== 'device') fail(field('deviceAuthorizationUrl'), 'is only used when flow is "device"');
    return readEndpointUrl(url, field('deviceAuthorizationUrl'), false);
  });
  const userinfoUrl = optional(value['userinfoUrl'], (url) => {
    // The access token goes there to ask who signed in; a client-credentials token names no one.
    if (clientCredentials) fail(field('userinfoUrl'), 'is not used when flow is "client_credentials" (no one signs in): leave it out');
    return readEndpointUrl(url, field('userinfoUrl'), false);
  });
  const refreshTokenTtl = optional(value['refreshTokenTtl'], (ttl) => {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0) {
      fail(field('refreshTokenTtl'), 'must be a positive whole number of seconds (SkyVault: 604800, 7 days)');
    }
    return ttl;
  });
  // RFC 8414 2: an issuer identifier has no query or fragment.
  const issuer = optional(value['issuer'], (url) => readEndpointUrl(url, field('issuer'), false));
  const requireIss = optional(value['requireIss'], (flag) => {
    if (typeof flag !== 'boolean') fail(field('requireIss'), 'must be true or false');
    // Without an issuer there is nothing to compare `iss` with (README: Provider JSON).
    if (issuer === undefined) fail(field('requireIss'), 'is only used with "issuer" (add the issuer, or leave requireIss out)');
    return flag;
  });
  const redirectMode = optional(value['redirectMode'], (mode) => {
    if (!isRedirectMode(mode)) fail(field('redirectMode'), 'must be "identity" or "tab"');
    return mode;
  });
  if (redirectMode === 'tab' && value['redirectUri'] === undefined) {
    fail(field('redirectUri'), 'is required when redirectMode is "tab"');
  }
  const redirectUri = optional(value['redirectUri'], (uri) => {
    if (redirectMode !== 'tab') fail(field('redirectUri'), 'is only used when redirectMode is "tab" (add "redirectMode": "tab")');
    return readRedirectPageUri(uri, field('redirectUri'));
  });

  const clientId = requireString(value, 'clientId', field);
  checkCredential(clientId, field('clientId'));
  const clientSecret = optional(value['clientSecret'], (secret) => {
    if (typeof secret !== 'string') fail(field('clientSecret'), 'must be a string');
    if (secret === '') fail(field('clientSecret'), 'must not be empty (leave it out for a public client)');
    checkCredential(secret, field('clientSecret'));
    return secret;
  });

  const clientAuth =
    optional(value['clientAuth'], (auth) => {
      if (!isClientAuth(auth)) fail(field('clientAuth'), 'must be "body" or "basic"');
      return auth;
    }) ?? 'body';
  if (clientAuth === 'basic' && clientSecret === undefined) fail(field('clientAuth'), '"basic" needs a clientSecret');
  // RFC 6749 4.4: the grant is for confidential clients, whose secret is the only credential sent.
  if (clientCredentials && clientSecret === undefined) fail(field('clientSecret'), 'is required when flow is "client_credentials"');

  // Without a redirect there is no code to protect: pkce is false for the windowless flows.
  const pkce =
    optional(value['pkce'], (flag) => {
      if (typeof flag !== 'boolean') fail(field('pkce'), 'must be true or false');
      return flag;
    }) ?? !isWindowless(flow);

  const scopes = optional(value['scopes'], (list) => readScopes(list, field('scopes'))) ?? [];
  const scopeOptions = optional(value['scopeOptions'], (list) => readScopeOptions(list, field('scopeOptions')));
  const extraParams = optional(value['extraParams'], (params) => readParams(params, field('extraParams'), RESERVED_AUTHORIZE_PARAMS)) ?? {};
  const tokenParams = optional(value['tokenParams'], (params) => readParams(params, field('tokenParams'), RESERVED_TOKEN_PARAMS));
  if (clientCredentials && tokenParams?.['scope'] !== undefined) {
    fail(join(field('tokenParams'), 'scope'), 'is sent from "scopes" when flow is "client_credentials": list the scopes there');
  }

  if (value['apiBaseUrls'] === undefined) fail(field('apiBaseUrls'), 'is required');
  const apiBaseUrls = readApiBaseUrls(value['apiBaseUrls'], field('apiBaseUrls'));
  const header = optional(value['header'], (spec) => readHeader(spec, field('header'))) ?? { ...DEFAULT_HEADER };

  return {
    id,
    name,
    flow,
    ...(authorizationUrl !== undefined && { authorizationUrl }),
    ...(tokenUrl !== undefined && { tokenUrl }),
    ...(revocationUrl !== undefined && { revocationUrl }),
    ...(deviceAuthorizationUrl !== undefined && { deviceAuthorizationUrl }),
    ...(userinfoUrl !== undefined && { userinfoUrl }),
    ...(refreshTokenTtl !== undefined && { refreshTokenTtl }),
    ...(issuer !== undefined && { issuer }),
    ...(requireIss !== undefined && { requireIss }),
    ...(redirectMode !== undefined && { redirectMode }),
    ...(redirectUri !== undefined && { redirectUri }),
    clientId,
    ...(clientSecret !== undefined && { clientSecret }),
    clientAuth,
    pkce,
    scopes,
    ...(scopeOptions !== undefined && { scopeOptions }),
    extraParams,
    // Kept absent when empty, so `{}` and no field compare equal at a re-import.
    ...(tokenParams !== undefined && Object.keys(tokenParams).length > 0 && { tokenParams }),
    apiBaseUrls,
    header,
  };
}

/**
 * An endpoint URL, kept exactly as given: absolute, https (http only on a loopback host), without
 * credentials or fragment (RFC 6749 3.1, 3.2), and without a query unless `queryAllowed`.
 */
function readEndpointUrl(value: unknown, path: string, queryAllowed: boolean): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  if (value.trim() !== value) fail(path, 'must not start or end with spaces');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(path, 'must be an absolute URL, like "https://example.com/path"');
  }
  if (!isAllowedEndpoint(url)) fail(path, HTTPS_OR_LOCAL);
  if (url.username !== '' || url.password !== '') fail(path, 'must not contain a user name or password');
  // Checked on the text: `new URL('https://x/#').hash` is '' although the fragment is there.
  if (value.includes('#')) fail(path, 'must not have a fragment (#…)');
  if (!queryAllowed && value.includes('?')) fail(path, 'must not have a query (?…)');
  return value;
}

/**
 * The provider's fixed redirect page (tab mode): an endpoint URL (a query is allowed, RFC 6749
 * 3.1.2), http only on localhost / 127.0.0.1 (the hosts granted at install), and without "*",
 * which would be a wildcard in the content script's match pattern.
 */
function readRedirectPageUri(value: unknown, path: string): string {
  const uri = readEndpointUrl(value, path, true);
  const url = new URL(uri);
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1'].includes(url.hostname)) {
    fail(path, HTTPS_OR_LOCAL);
  }
  if (uri.includes('*')) fail(path, 'must not contain "*"');
  return uri;
}

function readApiBaseUrls(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, 'must be an array of URLs');
  if (value.length === 0) fail(path, 'must list at least one URL');
  if (value.length > MAX_API_BASE_URLS) {
    fail(path, `must list at most ${MAX_API_BASE_URLS} URLs (it lists ${value.length}); use a shorter common prefix, such as the API's root`);
  }
  return value.map((item: unknown, index) => {
    const itemPath = `${path}[${index}]`;
    const url = readEndpointUrl(item, itemPath, false);
    // The token is attached to every URL under these prefixes: a wildcard would widen that silently.
    if (url.includes('*')) fail(itemPath, 'must not contain "*" (list each API base URL)');
    // declarativeNetRequest urlFilter reads "|" as an anchor and "^" as a separator, with no escape.
    const special = ['^', '|'].find((character) => url.includes(character));
    if (special !== undefined) fail(itemPath, `must not contain "${special}" (network rules cannot match it)`);
    return url;
  });
}

function readScopes(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) fail(path, 'must be an array of strings');
  return value.map((scope: unknown, index) => {
    const scopePath = `${path}[${index}]`;
    if (typeof scope !== 'string') fail(scopePath, 'must be a string');
    if (scope === '') fail(scopePath, 'must not be empty');
    if (/\s/.test(scope)) fail(scopePath, 'must not contain spaces (list each scope separately)');
    if (!SCOPE_TOKEN.test(scope)) fail(scopePath, 'may only contain printable ASCII without " or \\ (RFC 6749 3.3)');
    return scope;
  });
}

function readScopeOptions(value: unknown, path: string): ScopeOption[] {
  const shape = 'must be an array like [{ "label": "Full access", "scopes": […] }, { "label": "Read only", "scopes": […] }]';
  if (!Array.isArray(value)) fail(path, shape);
  if (value.length < MIN_SCOPE_OPTIONS || value.length > MAX_SCOPE_OPTIONS) {
    fail(path, `must list ${MIN_SCOPE_OPTIONS} to ${MAX_SCOPE_OPTIONS} options (it lists ${value.length}); leave it out for no choice`);
  }
  const labels = new Map<string, string>();
  return value.map((option: unknown, index) => {
    const optionPath = `${path}[${index}]`;
    if (!isPlainObject(option)) fail(optionPath, 'must be an object like { "label": "Read only", "scopes": […] }');
    for (const key of Object.keys(option)) {
      if (!SCOPE_OPTION_KEYS.includes(key)) fail(join(optionPath, key), 'is not a known field');
    }
    const label = requireString(option, 'label', (key) => join(optionPath, key));
    const labelPath = join(optionPath, 'label');
    if (label.trim() === '') fail(labelPath, 'must not be empty');
    if (label.length > MAX_SCOPE_OPTION_LABEL_LENGTH) fail(labelPath, `must be at most ${MAX_SCOPE_OPTION_LABEL_LENGTH} characters`);
    if (CONTROL_CHARS.test(label)) fail(labelPath, 'must not contain control characters');
    const firstUse = labels.get(label);
    if (firstUse !== undefined) fail(labelPath, `"${label}" is already used by ${firstUse}`);
    labels.set(label, labelPath);
    if (option['scopes'] === undefined) fail(join(optionPath, 'scopes'), 'is required (use [] for no scope parameter)');
    return { label, scopes: readScopes(option['scopes'], join(optionPath, 'scopes')) };
  });
}

function readParams(value: unknown, path: string, reserved: readonly string[]): Record<string, string> {
  if (!isPlainObject(value)) fail(path, 'must be an object of string values');
  const params: Record<string, string> = {};
  for (const [key, param] of Object.entries(value)) {
    const paramPath = join(path, key);
    if (key === '') fail(paramPath, 'must not have an empty name');
    if (reserved.includes(key)) fail(paramPath, 'is set by TokenTap and cannot be overridden');
    if (typeof param !== 'string') fail(paramPath, 'must be a string');
    params[key] = param;
  }
  return params;
}

function readHeader(value: unknown, path: string): HeaderSpec {
  if (!isPlainObject(value)) fail(path, 'must be an object like { "name": "Authorization", "prefix": "Bearer" }');
  for (const key of Object.keys(value)) {
    if (!HEADER_KEYS.includes(key)) fail(join(path, key), 'is not a known field');
  }
  // A field left out takes the default's (`{"token": "id_token"}` alone is Authorization: Bearer).
  const name = value['name'] ?? DEFAULT_HEADER.name;
  if (typeof name !== 'string') fail(join(path, 'name'), 'must be a string');
  const problem = headerNameProblem(name);
  if (problem !== undefined) fail(join(path, 'name'), problem);
  const isDefaultName = name.toLowerCase() === DEFAULT_HEADER.name.toLowerCase();
  // Another header's prefix is not guessed: "Bearer " in front of an API key would be refused.
  const prefix = value['prefix'] ?? (isDefaultName ? DEFAULT_HEADER.prefix : undefined);
  if (prefix === undefined) fail(join(path, 'prefix'), `is required with a header other than ${DEFAULT_HEADER.name} (use "" for none)`);
  if (typeof prefix !== 'string') fail(join(path, 'prefix'), 'must be a string');
  if (CONTROL_CHARS.test(prefix)) fail(join(path, 'prefix'), 'must not contain control characters or line breaks');
  const token = value['token'];
  if (token !== undefined && !HEADER_TOKENS.some((known) => known === token)) {
    fail(join(path, 'token'), `must be "access_token" (the default) or "id_token" (the OpenID Connect ID Token)`);
  }
  return { name, prefix, ...(token === 'id_token' && { token }) };
}

function checkCredential(value: string, path: string): void {
  if (value === '') fail(path, 'must not be empty');
  if (value.trim() !== value) fail(path, 'must not start or end with spaces');
  if (!VSCHARS.test(value)) fail(path, 'may only contain printable ASCII characters (RFC 6749 A.1)');
}

function requireString(value: Record<string, unknown>, key: string, field: (key: string) => string): string {
  const item = value[key];
  if (item === undefined) fail(field(key), 'is required');
  if (typeof item !== 'string') fail(field(key), 'must be a string');
  return item;
}

/** Runs `read` when the field is present; `undefined` means absent (JSON `null` is a type error). */
function optional<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}

function isFlow(value: string): value is Flow {
  return value === 'implicit' || value === 'code' || value === 'client_credentials' || value === 'device';
}

function isRedirectMode(value: unknown): value is RedirectMode {
  return value === 'identity' || value === 'tab';
}

function isClientAuth(value: unknown): value is ClientAuth {
  return value === 'body' || value === 'basic';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `providers[0]` + `tokenUrl` → `providers[0].tokenUrl`; odd keys are quoted and shortened. */
function join(path: string, key: string): string {
  const shown = key.length > 60 ? `${key.slice(0, 60)}…` : key;
  if (!/^[A-Za-z_$][\w$-]*$/.test(shown)) return `${path}[${JSON.stringify(shown)}]`;
  return path === '' ? shown : `${path}.${shown}`;
}

function fail(path: string, problem: string): never {
  throw new ProviderJsonError(`${path} ${problem}`, path);
}
