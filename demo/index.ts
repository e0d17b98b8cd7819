// Starts the demo providers (ReadyCloud-like implicit, SkyVault-like code) and the playground.
import { startPlayground, type PlaygroundServer } from './playground';
import { READYCLOUD_ACCESS, READYCLOUD_CLIENT_ID, startReadyCloud, type ReadyCloudConfig, type ReadyCloudServer } from './readycloud';
import {
  SKYVAULT_CLIENT_ID,
  SKYVAULT_CLIENT_SECRET,
  SKYVAULT_SCOPE,
  startSkyVault,
  type SkyVaultConfig,
  type SkyVaultServer,
} from './skyvault';

export type { RecordedRequest } from './http';
export type { PlaygroundServer } from './playground';
export { CALLBACK_PATH as PLAYGROUND_CALLBACK_PATH } from './playground';
export {
  READYCLOUD_ACCESS,
  READYCLOUD_APP_NAME,
  READYCLOUD_CLIENT_ID,
  READYCLOUD_NO_REDIRECT_CLIENT_ID,
  READYCLOUD_SCOPES,
  READYCLOUD_USER,
  type ReadyCloudConfig,
  type ReadyCloudRedirectFault,
  type ReadyCloudScope,
  type ReadyCloudServer,
} from './readycloud';
export {
  ORIGIN_REJECTED_DESCRIPTION,
  SKYVAULT_CLIENT_ID,
  SKYVAULT_CLIENT_SECRET,
  SKYVAULT_PASSWORD,
  SKYVAULT_SCOPE,
  SKYVAULT_USER_ID,
  type SkyVaultConfig,
  type SkyVaultRedirectFault,
  type SkyVaultServer,
  type SkyVaultTokenFault,
  type SkyVaultTokenResponse,
} from './skyvault';
export { basicAuthHeader } from './oauth';
export { startForwarder, type ForwarderServer, type ForwardTarget } from './forwarder';

/** The ids the demo's provider JSON gives its two providers. */
export const DEMO_PROVIDER_IDS = ['readycloud', 'skyvault'] as const;
export type DemoProviderId = (typeof DEMO_PROVIDER_IDS)[number];
/** The names it gives them: what the popup shows ("Connect SkyVault", "SkyVault Account 1"). */
export const DEMO_PROVIDER_NAMES: Readonly<Record<DemoProviderId, string>> = { readycloud: 'ReadyCloud', skyvault: 'SkyVault' };

/**
 * The redirect URL TokenTap uses for a provider, `identity.getRedirectURL(<provider id>)`, from the
 * extension's base one (`getRedirectURL()`): the one place tests and scripts derive it (README
 * "Redirect URL to register at the provider"; both-browsers.test.ts checks it against the browser).
 */
export function providerRedirectUrl(extensionRedirectUrl: string, providerId: string): string {
  return new URL(providerId, extensionRedirectUrl).href;
}

/** What each demo provider registers: its own redirect URL, as TokenTap asks users to do. */
export function demoRedirectUris(extensionRedirectUrl: string): Record<DemoProviderId, string[]> {
  return {
    readycloud: [providerRedirectUrl(extensionRedirectUrl, 'readycloud')],
    skyvault: [providerRedirectUrl(extensionRedirectUrl, 'skyvault')],
  };
}

export interface DemoOptions {
  /** Providers' host, default '127.0.0.1'. */
  host?: string;
  /** Default 'localhost' (a different host from the APIs on purpose). */
  playgroundHost?: string;
  /** 0 / omitted = random free port. */
  ports?: { readycloud?: number; skyvault?: number; playground?: number };
  /** Redirect URIs registered for each demo client (see demoRedirectUris). */
  redirectUris: Record<DemoProviderId, string[]>;
  readycloud?: Partial<ReadyCloudConfig>;
  skyvault?: Partial<SkyVaultConfig>;
}

export interface Demo {
  readycloud: ReadyCloudServer;
  skyvault: SkyVaultServer;
  playground: { origin: string };
  /** Provider JSON (the README's Provider JSON format) for both providers; built on each read, so it follows `skyvault.config.issuer`. */
  providerJson: { providers: unknown[] };
  close(): Promise<void>;
}

/** Throws unless every URI is an absolute URL without a fragment (RFC 6749 3.1.2). */
function checkRedirectUris(byProvider: Record<DemoProviderId, unknown>): void {
  for (const id of DEMO_PROVIDER_IDS) checkUris(byProvider[id], id);
}

function checkUris(uris: unknown, id: DemoProviderId): asserts uris is string[] {
  if (!Array.isArray(uris)) throw new TypeError(`startDemo: redirectUris.${id} must be an array of URLs`);
  for (const uri of uris) {
    if (typeof uri !== 'string' || !URL.canParse(uri)) throw new TypeError(`startDemo: redirect URI is not an absolute URL: ${String(uri)}`);
    if (uri.includes('#')) throw new TypeError(`startDemo: a redirect URI must not have a fragment: ${uri}`);
  }
}

/** The name of the demo SkyVault app connected by the device grant (RFC 8628): no redirect URL at all. */
export const SKYVAULT_DEVICE_NAME = 'SkyVault (device)';

/**
 * Provider JSON entry for SkyVault's device grant, apart from providerJson so the tests that count
 * the demo's providers keep two: `npm start` imports it beside them.
 */
export function skyVaultDeviceProvider(skyvault: Pick<SkyVaultServer, 'origin'>) {
  return {
    id: 'skyvault-device',
    name: SKYVAULT_DEVICE_NAME,
    flow: 'device',
    deviceAuthorizationUrl: `${skyvault.origin}/oauth/device`,
    tokenUrl: `${skyvault.origin}/oauth/token`,
    revocationUrl: `${skyvault.origin}/oauth/revoke`,
    clientId: SKYVAULT_CLIENT_ID,
    clientSecret: SKYVAULT_CLIENT_SECRET,
    scopes: [SKYVAULT_SCOPE],
    apiBaseUrls: [`${skyvault.origin}/api/`],
  };
}

export function providerJsonFor(readycloud: ReadyCloudServer, skyvault: SkyVaultServer): { providers: unknown[] } {
  const skyvaultProvider: Record<string, unknown> = {
    id: 'skyvault' satisfies DemoProviderId,
    name: DEMO_PROVIDER_NAMES.skyvault,
    flow: 'code',
    authorizationUrl: `${skyvault.origin}/oauth/authorize`,
    tokenUrl: `${skyvault.origin}/oauth/token`,
    revocationUrl: `${skyvault.origin}/oauth/revoke`,
    clientId: SKYVAULT_CLIENT_ID,
    clientSecret: SKYVAULT_CLIENT_SECRET,
    clientAuth: 'body',
    pkce: true,
    scopes: [SKYVAULT_SCOPE],
    extraParams: {},
    apiBaseUrls: [`${skyvault.origin}/api/`],
    header: { name: 'Authorization', prefix: 'Bearer' },
    // The seed document says refresh tokens live seven days; the demo says what it is set to.
    refreshTokenTtl: skyvault.config.refreshTokenLifetimeSeconds,
  };
  if (skyvault.config.issuer) skyvaultProvider.issuer = skyvault.config.issuer;
  return {
    providers: [
      {
        id: 'readycloud' satisfies DemoProviderId,
        name: DEMO_PROVIDER_NAMES.readycloud,
        flow: 'implicit',
        authorizationUrl: `${readycloud.origin}/oauth/authorize`,
        clientId: READYCLOUD_CLIENT_ID,
        // What an account that made no choice asks for; Connect asks for the access chosen in the popup.
        scopes: ['orders:read'],
        scopeOptions: READYCLOUD_ACCESS.map(({ label, scopes }) => ({ label, scopes: [...scopes] })),
        extraParams: {},
        apiBaseUrls: [`${readycloud.origin}/api/v1/`],
        header: { name: 'Authorization', prefix: 'Bearer' },
      },
      skyvaultProvider,
    ],
  };
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  checkRedirectUris(options.redirectUris);
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? {};
  const [rc, sv] = await Promise.allSettled([
    startReadyCloud({ host, port: ports.readycloud ?? 0, redirectUris: options.redirectUris.readycloud, config: options.readycloud ?? {} }),
    startSkyVault({ host, port: ports.skyvault ?? 0, redirectUris: options.redirectUris.skyvault, config: options.skyvault ?? {} }),
  ]);
  if (rc.status === 'rejected' || sv.status === 'rejected') {
    await Promise.all([rc, sv].flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
    throw rc.status === 'rejected' ? rc.reason : (sv as PromiseRejectedResult).reason;
  }
  const readycloud = rc.value;
  const skyvault = sv.value;
  let playground: PlaygroundServer;
  try {
    playground = await startPlayground({
      host: options.playgroundHost ?? 'localhost',
      port: ports.playground ?? 0,
      apis: { readycloud: `${readycloud.origin}/api/v1/orders`, skyvault: `${skyvault.origin}/api/sites` },
    });
  } catch (err) {
    await Promise.all([readycloud.close(), skyvault.close()]);
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    readycloud,
    skyvault,
    playground,
    get providerJson() {
      return providerJsonFor(readycloud, skyvault);
    },
    close(): Promise<void> {
      closing ??= Promise.all([readycloud.close(), skyvault.close(), playground.close()]).then(() => undefined);
      return closing;
    },
  };
}
