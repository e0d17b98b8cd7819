import type { Locator, Page as PlaywrightPage } from 'playwright-core';
import type { ElementHandle, KeyInput, Page as PuppeteerPage, Target } from 'puppeteer-core';
import { launchExtension, type ExtensionBrowser } from './chromium';
import { FIREFOX_ADDON_ID, launchFirefoxExtension, waitForExtensionPage, type FirefoxLaunchOptions } from './firefox';
import { suspendEventPage } from './firefox-event-page';
import { providerRedirectUrl } from '../demo/index';

/**
 * What the browser-neutral scenarios need from a browser: the steps a person takes, by the
 * accessible names the pages give their controls. One implementation drives Chromium (Playwright), one Firefox
 * (Puppeteer over WebDriver BiDi), so one scenario list runs in both.
 */
export interface Driver {
  readonly name: 'chromium' | 'firefox';
  /** Whether the browser granted the manifest's host permissions at install. */
  readonly hostAccessAtInstall: boolean;
  /** identity.getRedirectURL() of the installed extension. */
  readonly redirectUrl: string;
  /** identity.getRedirectURL(<provider id>): the redirect URL TokenTap uses for that provider. */
  redirectUrlFor(providerId: string): string;
  openPopup(): Promise<DrivenPage>;
  openOptions(): Promise<DrivenPage>;
  /** A normal tab showing `url`. */
  openPage(url: string): Promise<DrivenPage>;
  /** Everything the extension keeps in storage.local, secrets decrypted as its own pages read them. */
  storage(): Promise<Record<string, unknown>>;
  /** Exactly what storage.local holds: what a content script's storage.local.get(null) gets. */
  rawStorage(): Promise<Record<string, unknown>>;
  /**
   * What storage.local.get(null) returns inside TokenTap's own content script on the page at
   * `url`, once the script has run there. Chromium only: Firefox does not show content-script
   * worlds to WebDriver BiDi.
   */
  contentScriptStorage?(url: string): Promise<Record<string, unknown>>;
  /** The host permissions the extension holds now. */
  grantedOrigins(): Promise<string[]>;
  /**
   * Withdraws host permissions as the user can in the browser's add-on settings. Firefox only:
   * Chrome refuses to remove an install-time host permission from script.
   */
  revokeHostAccess?(patterns: string[]): Promise<void>;
  /**
   * Quits the browser and starts it again on the same profile; every open page is gone.
   * `whileClosed` runs in between, given the profile's directory (an update: the extension's
   * files replaced in place).
   */
  restart(whileClosed?: (profileDir: string) => void | Promise<void>): Promise<void>;
  /**
   * Stops the extension's background as the browser does when it has been idle, and returns once it
   * has stopped; the next event starts it again. Chromium stops the service worker (DevTools
   * protocol); Firefox suspends the event page as its idle timer does, and throws KeptAwakeError
   * (drive/firefox-event-page.ts) while something keeps it awake, as a sign-in window does.
   */
  stopBackground(): Promise<void>;
  /**
   * The Playwright browser underneath, for what only Chromium shows a test: the service worker's
   * console, its contexts. Chromium only: WebDriver BiDi does not give the console of Firefox's
   * event page.
   */
  chromium?(): ExtensionBrowser;
  /**
   * Clicks TokenTap's toolbar button on the tab showing `page`, as a person does (the extension
   * gets activeTab there). Chromium launched with `toolbarClicks` only: WebDriver BiDi cannot
   * click Firefox's toolbar.
   */
  clickToolbarButton?(page: DrivenPage): Promise<void>;
  close(): Promise<void>;
  /** Notes every page or window the browser opens from now on; the returned function gives their addresses now. */
  recordOpenedPages(): () => string[];
}

/** The element an action is limited to: the one with this role and exact accessible name. */
export interface Scope {
  role: string;
  name: string;
}

export interface DrivenPage {
  url(): Promise<string>;
  /** True once the page or window is gone (closed by the user, the test or the browser). */
  isClosed(): boolean;
  /** Clicks the element with this exact accessible name (a button unless `role` says otherwise), waiting for it. */
  click(name: string, options?: { role?: string; within?: Scope }): Promise<void>;
  /** Clicks, and returns the window or tab the click opens once it shows an http(s) page or one of the extension's. */
  clickForNewPage(name: string, options?: { role?: string; within?: Scope }): Promise<DrivenPage>;
  /** Types `value` into the field labelled `label`, replacing what was there. */
  fill(label: string, value: string, within?: Scope): Promise<void>;
  /** The field labelled `label`'s value. */
  value(label: string, within?: Scope): Promise<string>;
  /** Presses `key` ("Enter", "Escape", "Control+Enter") on the keyboard in the field labelled `label`. */
  press(label: string, key: string, within?: Scope): Promise<void>;
  /** Presses `key` ("Tab", "Shift+Tab", "Enter", "Space") wherever the keyboard focus is now. */
  pressKey(key: string): Promise<void>;
  /** Chooses the option shown as `option` in the select labelled `label`. */
  select(label: string, option: string, within?: Scope): Promise<void>;
  /** The text of every element with `role` (inside `within`) now; none found is []. */
  texts(role: string, within?: Scope): Promise<string[]>;
  /** The names of the elements with `role` (inside `within`) now: aria-label, else text, as TokenTap's pages name them. */
  names(role: string, within?: Scope): Promise<string[]>;
  /** Runs `fn` in the page (an ordinary web page: its JavaScript world). */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  bringToFront(): Promise<void>;
  /** Sets the size of the page's viewport, in CSS pixels. */
  resize(width: number, height: number): Promise<void>;
  /** Saves a PNG of what the page shows now to `path`. */
  screenshot(path: string): Promise<void>;
  reload(): Promise<void>;
  close(): Promise<void>;
  /** Double-clicks the element with this exact accessible name (a button unless `role` says otherwise): two presses in a row. */
  doubleClick(name: string, options?: { role?: string; within?: Scope }): Promise<void>;
}

const WAIT_MS = 15_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ---------------------------------------------------------------- Chromium (Playwright)

export async function chromiumDriver(options: { extensionDir?: string; headless?: boolean; toolbarClicks?: boolean } = {}): Promise<Driver> {
  let browser = await launchExtension(options);
  let probe: PlaywrightPage | undefined;
  const wrap = (page: PlaywrightPage): DrivenPage => {
    const root = (within?: Scope) => (within ? page.getByRole(within.role as never, { name: within.name, exact: true }) : page);
    const byName = (name: string, options: { role?: string; within?: Scope } = {}) =>
      root(options.within).getByRole((options.role ?? 'button') as never, { name, exact: true });
    const field = (label: string, within?: Scope): Locator => root(within).getByLabel(label, { exact: true });
    return {
      url: () => Promise.resolve(page.url()),
      isClosed: () => page.isClosed(),
      click: (name, options) => byName(name, options).click(),
      clickForNewPage: async (name, options) => {
        const opened = browser.context.waitForEvent('page');
        await byName(name, options).click();
        const next = await opened;
        await next.waitForURL((url) => ['http:', 'https:', 'chrome-extension:'].includes(url.protocol));
        await next.waitForLoadState();
        return wrap(next);
      },
      fill: (label, value, within) => field(label, within).fill(value),
      value: (label, within) => field(label, within).inputValue(),
      press: (label, key, within) => field(label, within).press(key),
      pressKey: (key) => page.keyboard.press(key),
      select: async (label, option, within) => {
        await field(label, within).selectOption({ label: option });
      },
      texts: (role, within) =>
        root(within)
          .getByRole(role as never)
          .allTextContents(),
      // In one go: reading item by item (nth locators) waits out Playwright's 30 s timeout when the
      // list shrinks in between, as it does right after Disconnect.
      names: (role, within) =>
        root(within)
          .getByRole(role as never)
          .evaluateAll((elements) => elements.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? '')),
      evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
      bringToFront: () => page.bringToFront(),
      resize: (width, height) => page.setViewportSize({ width, height }),
      screenshot: async (path) => {
        await page.screenshot({ path });
      },
      reload: async () => {
        await page.reload();
      },
      close: () => page.close(),
      doubleClick: (name, options) => byName(name, options).dblclick(),
    };
  };
  return {
    name: 'chromium',
    hostAccessAtInstall: true,
    redirectUrl: browser.redirectUrl,
    redirectUrlFor: (providerId) => providerRedirectUrl(browser.redirectUrl, providerId),
    openPopup: async () => wrap(await browser.openPopup()),
    openOptions: async () => wrap(await browser.openOptions()),
    openPage: async (url) => {
      const page = await browser.context.newPage();
      await page.goto(url);
      return wrap(page);
    },
    storage: () => browser.storage(),
    rawStorage: () => browser.rawStorage(),
    contentScriptStorage: async (url) => {
      const page = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(page);
      // Chromium names a content script's isolated world after the extension and gives it the extension's origin.
      const worlds = new Map<string, number>();
      cdp.on('Runtime.executionContextCreated', ({ context }) => {
        if (context.auxData?.type === 'isolated' && context.origin === `chrome-extension://${browser.extensionId}`)
          worlds.set(context.uniqueId, context.id);
      });
      cdp.on('Runtime.executionContextsCleared', () => worlds.clear());
      await cdp.send('Runtime.enable');
      await page.goto(url);
      const deadline = Date.now() + WAIT_MS;
      while (worlds.size === 0) {
        if (Date.now() > deadline) throw new Error(`TokenTap's content script did not run on ${url}`);
        await sleep(100);
      }
      const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
        expression: 'chrome.storage.local.get(null)',
        contextId: [...worlds.values()][0]!,
        awaitPromise: true,
        returnByValue: true,
      });
      await page.close();
      if (exceptionDetails) throw new Error(`storage.local.get failed in the content script: ${exceptionDetails.text}`);
      return result.value as Record<string, unknown>;
    },
    grantedOrigins: async () => {
      probe ??= await browser.openPopup();
      return (await probe.evaluate(() => chrome.permissions.getAll())).origins ?? [];
    },
    restart: async (whileClosed) => {
      const profile = browser.userDataDir;
      await browser.close({ keepProfile: true });
      probe = undefined;
      await whileClosed?.(profile);
      browser = await launchExtension({ ...options, userDataDir: profile });
    },
    stopBackground: () => browser.stopServiceWorker(),
    chromium: () => browser,
    ...(options.toolbarClicks && { clickToolbarButton: async (page: DrivenPage) => browser.clickToolbarButton!(await page.url()) }),
    close: () => browser.close(),
    recordOpenedPages: () => {
      const opened: PlaywrightPage[] = [];
      browser.context.on('page', (page) => opened.push(page));
      return () => opened.map((page) => page.url());
    },
  };
}

// ---------------------------------------------------------------- Firefox (Puppeteer, WebDriver BiDi)

/** Puppeteer's ARIA selector: exact accessible name and role, answered by Firefox's accessibility tree. */
const aria = (role: string, name?: string) => `aria/${name ?? ''}[role="${role}"]`;

/**
 * How long an element query may take before it counts as unanswered. Most answer within
 * milliseconds, but over a large page (the console showing a 10 MB JSON body) Firefox took more
 * than 5 s to answer one under CI's load.
 */
const QUERY_MS = 20_000;
/**
 * Firefox ESR sometimes never answers a `browsingContext.locateNodes` sent while the page is
 * navigating (a form post that redirects: it answered another such query with "no such frame").
 * Give up on the query, as on that error, so the caller's wait or poll asks again.
 */
const answered = <T>(query: Promise<T>, what: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not answer a query for ${what} within ${QUERY_MS} ms`)), QUERY_MS);
    query.then(resolve, reject).finally(() => clearTimeout(timer));
  });

export async function firefoxDriver(options: FirefoxLaunchOptions = {}): Promise<Driver> {
  let firefox = await launchFirefoxExtension(options);
  const { extensionOrigin } = firefox;

  const wrap = (page: PuppeteerPage): DrivenPage => {
    const isExtensionPage = async () => (await page.evaluate(() => location.href)).startsWith(extensionOrigin);
    const root = async (within?: Scope): Promise<ElementHandle | PuppeteerPage | undefined> =>
      within ? ((await answered(page.$(aria(within.role, within.name)), `${within.role} "${within.name}"`)) ?? undefined) : page;
    const all = async (role: string, within?: Scope, name?: string): Promise<ElementHandle[]> => {
      const scope = await root(within);
      return scope ? answered(scope.$$(aria(role, name)), `${role} "${name ?? ''}"`) : [];
    };
    /** Waits for the first element `find` returns. */
    const waitFor = async (what: string, find: () => Promise<ElementHandle | undefined>): Promise<ElementHandle> => {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const found = await find().catch(() => undefined);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`Firefox: no ${what} on ${await page.evaluate(() => location.href).catch(() => '?')}`);
        await sleep(100);
      }
    };
    const byName = (name: string, options: { role?: string; within?: Scope } = {}) =>
      waitFor(`${options.role ?? 'button'} "${name}"`, async () => (await all(options.role ?? 'button', options.within, name))[0]);
    // A label's own accessible node has the same name as its field: take the form control.
    const field = (label: string, within?: Scope) =>
      waitFor(`field "${label}"`, async () => {
        const scope = await root(within);
        for (const candidate of scope ? await answered(scope.$$(`aria/${label}`), `field "${label}"`) : []) {
          if (await candidate.evaluate((el) => ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))) return candidate;
        }
        return undefined;
      });
    // As Playwright's press does: "Control+Enter" holds the modifiers down around the last key.
    const pressKey = async (key: string) => {
      const [last, ...modifiers] = key.split('+').reverse() as KeyInput[];
      for (const modifier of modifiers) await page.keyboard.down(modifier);
      // Playwright names the space bar "Space"; Puppeteer by its character.
      await page.keyboard.press(last === ('Space' as KeyInput) ? ' ' : last!);
      for (const modifier of modifiers) await page.keyboard.up(modifier);
    };
    return {
      url: () => page.evaluate(() => location.href),
      isClosed: () => page.isClosed(),
      click: async (name, options) => (await byName(name, options)).click(),
      clickForNewPage: async (name, options) => {
        const before = new Set(await firefox.browser.pages());
        await (await byName(name, options)).click();
        const deadline = Date.now() + WAIT_MS;
        for (;;) {
          for (const candidate of await firefox.browser.pages()) {
            if (before.has(candidate)) continue;
            const here = await candidate.evaluate(() => `${document.readyState} ${location.protocol}`).catch(() => '');
            if (['complete http:', 'complete https:', 'complete moz-extension:'].includes(here)) return wrap(candidate);
          }
          if (Date.now() > deadline) throw new Error(`Firefox: "${name}" opened no page`);
          await sleep(100);
        }
      },
      fill: async (label, value, within) => {
        const element = await field(label, within);
        // As Playwright's fill does: set the value, then the input event the page listens to.
        await element.evaluate((el, v) => {
          (el as HTMLInputElement).value = v;
          el.dispatchEvent(new Event('input', { bubbles: true }));
        }, value);
      },
      value: async (label, within) => (await field(label, within)).evaluate((el) => (el as HTMLInputElement).value),
      press: async (label, key, within) => {
        await (await field(label, within)).focus();
        await pressKey(key);
      },
      pressKey,
      select: async (label, option, within) => {
        const element = await field(label, within);
        // As Playwright's selectOption does: choose the option by its text, then the events the page listens to.
        const found = await element.evaluate((el, text) => {
          const select = el as HTMLSelectElement;
          const index = [...select.options].findIndex((o) => o.text === text);
          if (index < 0) return false;
          select.selectedIndex = index;
          select.dispatchEvent(new Event('input', { bubbles: true }));
          select.dispatchEvent(new Event('change', { bubbles: true }));
          return true;
        }, option);
        if (!found) throw new Error(`Firefox: no option "${option}" in "${label}"`);
      },
      texts: async (role, within) => Promise.all((await all(role, within)).map((el) => el.evaluate((e) => e.textContent ?? ''))),
      names: async (role, within) =>
        Promise.all((await all(role, within)).map((el) => el.evaluate((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''))),
      evaluate: (fn, arg) => page.evaluate(fn as never, arg),
      bringToFront: () => page.bringToFront(),
      resize: (width, height) => page.setViewport({ width, height }),
      screenshot: async (path) => {
        await page.screenshot({ path });
      },
      reload: async () => {
        if (!(await isExtensionPage())) {
          await page.reload();
          return;
        }
        // Like goto, a reload of a moz-extension:// page never settles: mark the old document, reload
        // it from inside, and wait for a loaded document without the mark.
        const url = await page.evaluate(() => {
          (window as unknown as { stale?: boolean }).stale = true;
          setTimeout(() => location.reload(), 0);
          return location.href;
        });
        const deadline = Date.now() + WAIT_MS;
        while (
          await page
            .evaluate(() => (window as unknown as { stale?: boolean }).stale === true || document.readyState !== 'complete')
            .catch(() => true)
        ) {
          if (Date.now() > deadline) throw new Error(`Firefox did not reload ${url}`);
          await sleep(100);
        }
        await waitForExtensionPage(page, url);
      },
      close: () => page.close(),
      doubleClick: async (name, options) => (await byName(name, options)).click({ count: 2 }),
    };
  };
  return {
    name: 'firefox',
    hostAccessAtInstall: options.hostAccess !== 'opt-in',
    redirectUrl: firefox.redirectUrl,
    redirectUrlFor: (providerId) => providerRedirectUrl(firefox.redirectUrl, providerId),
    openPopup: async () => wrap(await firefox.openPopup()),
    openOptions: async () => wrap(await firefox.openOptions()),
    openPage: async (url) => {
      const page = await firefox.browser.newPage();
      await page.goto(url);
      return wrap(page);
    },
    storage: () => firefox.storage(),
    rawStorage: () => firefox.rawStorage(),
    grantedOrigins: () => firefox.grantedOrigins(),
    revokeHostAccess: (patterns) => firefox.revokeHostAccess(patterns),
    restart: async (whileClosed) => {
      await firefox.close({ keepProfile: true });
      await whileClosed?.(firefox.userDataDir);
      firefox = await launchFirefoxExtension({ ...options, userDataDir: firefox.userDataDir });
    },
    stopBackground: () => suspendEventPage(firefox.browser, FIREFOX_ADDON_ID),
    close: () => firefox.close(),
    recordOpenedPages: () => {
      const opened: Target[] = [];
      firefox.browser.on('targetcreated', (target: Target) => opened.push(target));
      return () => opened.map((target) => target.url());
    },
  };
}

/** The browsers every scenario file can run in, by the name the test reports show. */
export const drivers = {
  chromium: () => chromiumDriver(),
  firefox: () => firefoxDriver(),
  'firefox, host access opt-in': () => firefoxDriver({ hostAccess: 'opt-in' }),
} as const;

export type DriverName = keyof typeof drivers;
