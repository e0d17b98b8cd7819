// The mix-up attack (RFC 9700 4.4), in both browsers: a provider the user connects forwards the
// sign-in to an honest provider (the demo SkyVault or ReadyCloud) with that provider's client id
// and our `state`, hoping its code or token comes back as the forwarder's own. Each provider has
// its own redirect URL, and an answer counts only on the URL of the provider that started it.
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  READYCLOUD_CLIENT_ID,
  READYCLOUD_NO_REDIRECT_CLIENT_ID,
  SKYVAULT_CLIENT_ID,
  SKYVAULT_SCOPE,
  demoRedirectUris,
  startDemo,
  startForwarder,
  type Demo,
  type ForwarderServer,
} from '../../demo/index';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { allowReadyCloud, readyCloudTabProvider, signInToSkyVault, waitForText } from '../../drive/steps';

/** Where the forwarder tells the honest provider to send its answer. */
type Variant = 'the redirect URI it received' | 'the old shared redirect URL' | "the honest provider's own redirect URL";
const VARIANTS: Variant[] = ['the redirect URI it received', 'the old shared redirect URL', "the honest provider's own redirect URL"];
const FLOWS = ['code', 'implicit'] as const;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let forwarder: ForwarderServer;
  let popup: DrivenPage;

  beforeAll(async () => {
    driver = await drivers[browserName]();
    // As a user who upgraded would have it: the honest providers still accept the old shared
    // redirect URL beside their own.
    const own = demoRedirectUris(driver.redirectUrl);
    demo = await startDemo({
      redirectUris: { readycloud: [driver.redirectUrl, ...own.readycloud], skyvault: [driver.redirectUrl, ...own.skyvault] },
    });
    forwarder = await startForwarder();
    const options = await driver.openOptions();
    const providers = [...demo.providerJson.providers, ...forwarder.providerJson().providers, readyCloudTab()];
    await options.fill('Provider JSON', JSON.stringify({ providers }));
    await options.click('Import');
    expect(await waitForText(options, ['status'])).toMatch(/^Imported: added/);
    await options.close();
    popup = await driver.openPopup();
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await forwarder?.close();
  });

  /** ReadyCloud in tab mode: its app without a registered redirect URI answers on its default token page. */
  const readyCloudTab = () => readyCloudTabProvider(demo);
  const tokenPage = () => readyCloudTab().redirectUri;

  /** The answer's destination the forwarder picks for the honest provider `id`. */
  const forwardedTo = (variant: Variant, id: 'skyvault' | 'readycloud') =>
    variant === 'the redirect URI it received'
      ? 'received'
      : variant === 'the old shared redirect URL'
        ? driver.redirectUrl
        : driver.redirectUrlFor(id);

  /** True while the auth window shows an address on the extension's redirect host that the browser did not take as the answer. */
  const leftOnRedirectHost = async (signIn: DrivenPage) => (await signIn.url().catch(() => '')).includes(new URL(driver.redirectUrl).hostname);

  describe.each(FLOWS)('%s flow', (flow) => {
    const honest = flow === 'code' ? 'skyvault' : 'readycloud';

    it.each(VARIANTS)("No provider gets another provider's token or code: forwarded with %s", async (variant) => {
      forwarder.config.targets = {
        code: {
          authorizeUrl: `${demo.skyvault.origin}/oauth/authorize`,
          clientId: SKYVAULT_CLIENT_ID,
          scope: SKYVAULT_SCOPE,
          redirectUri: forwardedTo(variant, 'skyvault'),
        },
        token: {
          authorizeUrl: `${demo.readycloud.origin}/oauth/authorize`,
          clientId: READYCLOUD_CLIENT_ID,
          scope: 'orders:read',
          redirectUri: forwardedTo(variant, 'readycloud'),
        },
      };
      const before = await driver.storage();
      const received = () => forwarder.requests.slice(start);
      const start = forwarder.requests.length;
      const honestOrigin = demo[honest].origin;

      // The honest provider refuses a redirect URI not registered for its client, with an error page.
      const refused = variant === 'the redirect URI it received';
      // Chromium never shows an auth window whose page is an HTTP error: launchWebAuthFlow fails at once.
      if (refused && browserName === 'chromium') {
        await popup.click(`Connect Forwarder ${flow}`);
      } else {
        const signIn = await popup.clickForNewPage(`Connect Forwarder ${flow}`);
        // The forwarder sent the auth window on to the honest provider's sign-in.
        expect(new URL(await signIn.url()).origin).toBe(honestOrigin);
        if (refused) {
          expect((await signIn.texts('alert'))[0]).toContain('is not registered');
        } else {
          if (flow === 'code') {
            await signInToSkyVault(signIn);
          } else {
            await allowReadyCloud(signIn);
          }
          // The browser takes the answer (and closes the window), or leaves it on a URL that is not this sign-in's.
          await expect.poll(async () => signIn.isClosed() || (await leftOnRedirectHost(signIn))).toBe(true);
        }
        // The user gives up on a window that leads nowhere.
        if (!signIn.isClosed()) await signIn.close();
      }

      // The sign-in ends: in an alert, or (had the answer been taken) in a stored account.
      await expect.poll(async () => (await popup.texts('alert')).length > 0 || !isDeepStrictEqual(await driver.storage(), before)).toBe(true);
      expect(await driver.storage()).toEqual(before);

      // The forwarder saw only the authorize request, with our PKCE challenge (public): never a
      // token request (the honest code and our verifier), a revocation or an API call.
      expect(
        received()
          .map((r) => r.path)
          .filter((path) => path !== '/oauth/authorize'),
      ).toEqual([]);
      const honestTokens = [
        ...demo.readycloud.issued.map((t) => t.accessToken),
        ...demo.skyvault.issued.flatMap((t) => [t.access_token, t.refresh_token]),
      ];
      const seen = JSON.stringify(received());
      for (const token of honestTokens) expect(seen).not.toContain(token);
      if (!refused && flow === 'implicit') expect(demo.readycloud.issued.length).toBeGreaterThan(0);

      const alert = await waitForText(popup, ['alert']);
      expect(alert).toContain('Nothing was changed.');
      // Chromium takes any answer on the extension's redirect host and TokenTap refuses it by its
      // path; Firefox takes only answers on this sign-in's own URL, and leaves the window elsewhere.
      const expected =
        browserName === 'firefox'
          ? /^The sign-in window was closed before finishing\./
          : refused
            ? new RegExp(`^The Forwarder ${flow} sign-in page could not be loaded`)
            : new RegExp(
                `^Forwarder ${flow} sent back an unusable answer: the answer arrived elsewhere than at this provider's redirect URL ${driver.redirectUrlFor(`forwarder-${flow}`)} \\(did it pass the sign-in on to another provider\\?\\)`,
              );
      expect(alert).toMatch(expected);

      await popup.click('Dismiss');
      await expect.poll(() => popup.texts('alert')).toEqual([]);
    });
  });

  it("No provider gets another provider's token or code: tab mode, forwarded to ReadyCloud's default page", async () => {
    forwarder.config.targets = {
      token: {
        authorizeUrl: `${demo.readycloud.origin}/oauth/authorize`,
        clientId: READYCLOUD_NO_REDIRECT_CLIENT_ID,
        scope: 'orders:read',
        redirectUri: tokenPage(),
      },
    };
    const before = await driver.storage();
    const start = forwarder.requests.length;
    const issued = demo.readycloud.issued.length;
    const signIn = await popup.clickForNewPage('Connect Forwarder tab');
    expect(new URL(await signIn.url()).origin).toBe(demo.readycloud.origin);
    await signIn.click('Allow');
    // ReadyCloud issued a token onto its own page, in the forwarder's sign-in tab; TokenTap ends
    // that sign-in there rather than store ReadyCloud's token as the forwarder's.
    expect(await waitForText(popup, ['alert'])).toBe(
      "The Forwarder tab sign-in ended on ReadyCloud (default page)'s redirect page, not its own, so TokenTap ignored the answer (Forwarder tab may have passed the sign-in on to ReadyCloud (default page)). Nothing was changed.Dismiss",
    );
    expect(demo.readycloud.issued.length).toBe(issued + 1);
    expect(await driver.storage()).toEqual(before);
    const received = forwarder.requests.slice(start);
    expect(received.map((r) => r.path)).toEqual(['/oauth/authorize']);
    expect(JSON.stringify(received)).not.toContain(demo.readycloud.issued.at(-1)!.accessToken);
    await popup.click('Dismiss');
    await expect.poll(() => popup.texts('alert')).toEqual([]);
  });
});
