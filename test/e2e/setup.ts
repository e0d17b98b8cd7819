// The setup the scenario files share: a browser with the built extension and the demo providers
// registered for its redirect URLs, and, for files that start from connected accounts, those
// accounts connected and the playground approved, through the same steps a person takes.
import { DEMO_PROVIDER_IDS, demoRedirectUris, startDemo, type Demo, type DemoOptions, type DemoProviderId } from '../../demo/index';
import { drivers, type Driver, type DriverName, type DrivenPage } from '../../drive/driver';
import { approveSite, connectDemoAccount, importProviders } from '../../drive/steps';
import { startSiteServer, type SiteServer } from './site-server';

export interface DemoSetup {
  driver: Driver;
  demo: Demo;
  /** Quits the browser and stops the demo servers. */
  close(): Promise<void>;
}

/** The demo's provider settings a setup may change (token lifetimes, remembered consent, faults). */
export type DemoSettings = Pick<DemoOptions, 'readycloud' | 'skyvault'>;

/** Launches `browserName` with the extension and starts the demo providers, each registering its own redirect URL there. */
export async function launchWithDemo(browserName: DriverName, settings: DemoSettings = {}): Promise<DemoSetup> {
  const driver = await drivers[browserName]();
  try {
    const demo = await startDemo({ ...settings, redirectUris: demoRedirectUris(driver.redirectUrl) });
    return { driver, demo, close: () => Promise.all([driver.close(), demo.close()]).then(() => undefined) };
  } catch (error) {
    await driver.close();
    throw error;
  }
}

export interface ConnectedSetup extends DemoSetup {
  popup: DrivenPage;
  /** The demo's playground page, open in a tab of its own. */
  playground: DrivenPage;
}

export interface ConnectedSetupOptions extends DemoSettings {
  /** The demo providers to connect one account each of, in this order; both by default. */
  connect?: readonly DemoProviderId[];
  /** The accounts to approve the playground for ("SkyVault Account 1"); none by default. */
  approve?: readonly string[];
  /** Runs once the browser is up, before the first step (to start listening to its console, say). */
  onLaunch?: (driver: Driver) => void;
}

/**
 * launchWithDemo, then the demo providers imported, their accounts connected from the popup, the
 * playground approved for `approve` and opened; the popup is left in front.
 */
export async function connectedSetup(browserName: DriverName, options: ConnectedSetupOptions = {}): Promise<ConnectedSetup> {
  const { connect = DEMO_PROVIDER_IDS, approve = [], onLaunch, ...settings } = options;
  const setup = await launchWithDemo(browserName, settings);
  const { driver, demo } = setup;
  try {
    onLaunch?.(driver);
    const imported = await importProviders(driver, demo.providerJson);
    if (!imported.startsWith('Imported: ')) throw new Error(`the demo providers were not imported: ${imported}`);
    const popup = await driver.openPopup();
    for (const providerId of connect) await connectDemoAccount(popup, providerId);
    for (const account of approve) {
      const approved = await approveSite(driver, account, demo.playground.origin);
      if (approved !== `Approved ${demo.playground.origin}.`) throw new Error(`the playground was not approved for ${account}: ${approved}`);
    }
    const playground = await driver.openPage(demo.playground.origin);
    await popup.bringToFront();
    return { ...setup, popup, playground };
  } catch (error) {
    await setup.close();
    throw error;
  }
}

export interface SiteSetup extends DemoSetup {
  /** A plain web page server standing in for the developer's app (`site-server.ts`). */
  site: SiteServer;
}

/** launchWithDemo, and a plain site to approve (two sites: `localhost` and `127.0.0.1` on its port). */
export async function launchWithDemoAndSite(browserName: DriverName, settings: DemoSettings = {}): Promise<SiteSetup> {
  const setup = await launchWithDemo(browserName, settings);
  try {
    const site = await startSiteServer();
    return { ...setup, site, close: () => Promise.all([setup.close(), site.close()]).then(() => undefined) };
  } catch (error) {
    await setup.close();
    throw error;
  }
}
