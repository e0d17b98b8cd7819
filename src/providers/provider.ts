// The providers' JSON form (README "Provider JSON"): import, export, merge.
import { isWindowless, type Provider } from './model';
import { dropsClientSecret, keepsClientSecret } from './token-destinations';
import { isPlainObject, ProviderJsonError, validateProvider } from './validate-provider';

/**
 * Parses the Provider JSON text (`{ "providers": [ … ] }`) and validates every field, filling the
 * defaults. Throws a ProviderJsonError naming the first bad field by its path, e.g.
 * `providers[1].tokenUrl is required when flow is "code"`; on error nothing is returned, so a bad
 * file changes nothing.
 */
export function parseProviderJson(text: string): Provider[] {
  const document = parseJson(text);
  if (!isPlainObject(document)) {
    throw new ProviderJsonError('The JSON must be an object like { "providers": [ … ] }', '');
  }
  for (const key of Object.keys(document)) {
    if (key !== 'providers') {
      throw new ProviderJsonError(
        `${JSON.stringify(key.slice(0, 60))} is not a known field (the JSON must look like { "providers": [ … ] })`,
        key,
      );
    }
  }
  const list = document['providers'];
  if (list === undefined) throw new ProviderJsonError('providers is required', 'providers');
  if (!Array.isArray(list)) throw new ProviderJsonError('providers must be an array', 'providers');

  const takenIds = new Map<string, string>();
  return list.map((item: unknown, index) => {
    const path = `providers[${index}]`;
    const provider = validateProvider(item, path, { takenIds });
    takenIds.set(provider.id, path);
    return provider;
  });
}

/** Pretty Provider JSON in the format of README "Provider JSON"; `clientSecret` only when `includeSecrets`. */
export function exportProviderJson(providers: readonly Provider[], options: { includeSecrets: boolean }): string {
  const entries = providers.map((provider) => providerToJson(provider, options.includeSecrets));
  return JSON.stringify({ providers: entries }, null, 2);
}

/**
 * Merges imported providers into the stored list by id: a known id is replaced in place, a new one
 * is appended. An imported provider without `clientSecret` keeps the stored secret when its
 * `clientId` is unchanged and the secret would go to no new origin, so re-importing an export made
 * without secrets never erases one, and a document that moves the token endpoint never gets it.
 * Pure: returns new arrays; `added` / `changed` list ids in import order (unchanged ids in neither);
 * `secretDropped` the ids whose stored secret was not kept.
 */
export function mergeProviders(
  stored: readonly Provider[],
  imported: readonly Provider[],
): { providers: Provider[]; added: string[]; changed: string[]; secretDropped: string[] } {
  const providers = [...stored];
  const added: string[] = [];
  const changed: string[] = [];
  const secretDropped: string[] = [];
  for (const incoming of imported) {
    const index = providers.findIndex((provider) => provider.id === incoming.id);
    const current = index >= 0 ? providers[index] : undefined;
    if (current === undefined) {
      providers.push(incoming);
      if (!added.includes(incoming.id)) added.push(incoming.id);
      continue;
    }
    const next = keepStoredSecret(current, incoming);
    if (canonicalJson(providerToJson(next, true)) !== canonicalJson(providerToJson(current, true))) {
      providers[index] = next;
      if (!added.includes(next.id) && !changed.includes(next.id)) changed.push(next.id);
      if (dropsClientSecret(current, incoming) && !secretDropped.includes(next.id)) secretDropped.push(next.id);
    }
  }
  return { providers, added, changed, secretDropped };
}

function keepStoredSecret(stored: Provider, incoming: Provider): Provider {
  if (incoming.clientSecret !== undefined || stored.clientSecret === undefined) return incoming;
  if (!keepsClientSecret(stored, incoming)) return incoming;
  return { ...incoming, clientSecret: stored.clientSecret };
}

/** The provider with keys in the documented order; optional keys only when set, sign-in ones only for a sign-in flow. */
function providerToJson(provider: Provider, includeSecret: boolean): Partial<Provider> {
  const signIn = !isWindowless(provider.flow);
  return {
    id: provider.id,
    name: provider.name,
    flow: provider.flow,
    ...(provider.authorizationUrl !== undefined && { authorizationUrl: provider.authorizationUrl }),
    ...(provider.tokenUrl !== undefined && { tokenUrl: provider.tokenUrl }),
    ...(provider.revocationUrl !== undefined && { revocationUrl: provider.revocationUrl }),
    ...(provider.deviceAuthorizationUrl !== undefined && { deviceAuthorizationUrl: provider.deviceAuthorizationUrl }),
    ...(provider.userinfoUrl !== undefined && { userinfoUrl: provider.userinfoUrl }),
    ...(provider.refreshTokenTtl !== undefined && { refreshTokenTtl: provider.refreshTokenTtl }),
    ...(provider.issuer !== undefined && { issuer: provider.issuer }),
    ...(provider.requireIss !== undefined && { requireIss: provider.requireIss }),
    ...(provider.redirectMode !== undefined && { redirectMode: provider.redirectMode }),
    ...(provider.redirectUri !== undefined && { redirectUri: provider.redirectUri }),
    clientId: provider.clientId,
    ...(includeSecret && provider.clientSecret !== undefined && { clientSecret: provider.clientSecret }),
    clientAuth: provider.clientAuth,
    ...(signIn && { pkce: provider.pkce }),
    scopes: [...provider.scopes],
    ...(provider.scopeOptions !== undefined && {
      scopeOptions: provider.scopeOptions.map((option) => ({ label: option.label, scopes: [...option.scopes] })),
    }),
    ...(signIn && { extraParams: { ...provider.extraParams } }),
    ...(provider.tokenParams !== undefined && { tokenParams: { ...provider.tokenParams } }),
    apiBaseUrls: [...provider.apiBaseUrls],
    // The default token is left out, so an export from before header.token existed compares equal.
    header: {
      name: provider.header.name,
      prefix: provider.header.prefix,
      ...(provider.header.token !== undefined && { token: provider.header.token }),
    },
  };
}

/** JSON with object keys sorted, so two providers compare equal whatever order storage kept. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isPlainObject(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}

function parseJson(text: string): unknown {
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') throw new ProviderJsonError('Not valid JSON: the text is empty', '');
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new ProviderJsonError(`Not valid JSON: ${describeSyntaxError(error, source)}`, '');
  }
}

/**
 * Says where the JSON broke without quoting it: engines put a snippet of the input in their
 * messages, and the input may hold a client secret.
 */
function describeSyntaxError(error: unknown, source: string): string {
  const message = error instanceof Error ? error.message : '';
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `syntax error at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (position) {
    const before = source.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `syntax error at line ${line}, column ${column}`;
  }
  if (/unexpected end/i.test(message)) return 'the text ends too early (a closing bracket or quote is missing)';
  return 'check for a missing comma, quote or bracket';
}
