import type { Browser } from 'puppeteer-core';

/**
 * Suspends Firefox's event page on cue, as Firefox does when it has been idle
 * (`extensions.background.idle.timeout`), by calling what Firefox's own idle timer calls: the
 * parent-process `Extension`'s `terminateBackground()` (toolkit/components/extensions/parent/
 * ext-backgroundPage.js, the hook Mozilla's own tests use). That runs in Firefox's parent process,
 * which WebDriver BiDi reaches with `--remote-allow-system-access`: `browsingContext.getTree` with
 * `"moz:scope": "chrome"` names a browser window's chrome context, and `script.evaluate` runs there.
 */

/** Why Firefox keeps the event page awake now (what its idle timer waits for), if anything. */
export class KeptAwakeError extends Error {
  constructor(readonly reasons: string[]) {
    super(`Firefox keeps the event page awake (${reasons.join(', ')}), so it would not suspend it when idle now`);
  }
}

/** Puppeteer has no method for these commands; its own BiDi connection sends them (one session per browser). */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

/** Runs `expression` (which yields a JSON string) in the parent process and returns the parsed value. */
async function inParentProcess<T>(browser: Browser, expression: string): Promise<T> {
  const { connection } = browser as unknown as { connection: BidiConnection };
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })).result as {
    contexts: { context: string }[];
  };
  const context = tree.contexts[0]?.context;
  if (!context) throw new Error('Firefox shows no browser window to run parent-process script in');
  const evaluated = (await connection.send('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' }))
    .result as { type: 'success'; result: { value: string } } | { type: 'exception'; exceptionDetails: { text: string } };
  if (evaluated.type === 'exception') throw new Error(`Firefox's parent process: ${evaluated.exceptionDetails.text}`);
  return JSON.parse(evaluated.result.value) as T;
}

/** What the parent process knows of the add-on's background now. */
interface BackgroundNow {
  /** starting, running, suspending or stopped (Extension.backgroundState). */
  state: string;
  /** Background views still loaded: 0 once the page has unloaded. */
  views: number;
  /** The reasons Firefox's idle timer waits for (IdleManager.keepAlive), e.g. "launchWebAuthFlow". */
  keptAwakeBy: string[];
}

const suspendExpression = (addonId: string) => `(async () => {
  const extension = WebExtensionPolicy.getByID(${JSON.stringify(addonId)})?.extension;
  if (!extension) throw new Error('no add-on ${addonId} is running');
  const idle = extension.apiManager.getAPI('backgroundPage', extension)?.backgroundBuilder?.idleManager;
  const keptAwakeBy = [...(idle?.keepAlive.values() ?? [])].map((hold) => hold.reason);
  // As the idle timer: no suspend while something keeps the page awake.
  if (keptAwakeBy.length === 0 && extension.backgroundState === 'running') await extension.terminateBackground();
  const views = [...extension.views].filter((view) => view.viewType === 'background').length;
  return JSON.stringify({ state: extension.backgroundState, views, keptAwakeBy });
})()`;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Suspends the add-on's event page as Firefox's idle timer does, and returns once it has stopped
 * and its page has unloaded. Throws KeptAwakeError when Firefox would not suspend it now.
 */
export async function suspendEventPage(browser: Browser, addonId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // terminateBackground() returns without suspending while a listener's promise is pending (it
    // then waits for the next idle timeout, as here for the next round).
    const now = await inParentProcess<BackgroundNow>(browser, suspendExpression(addonId));
    if (now.keptAwakeBy.length > 0) throw new KeptAwakeError(now.keptAwakeBy);
    if (now.state === 'stopped' && now.views === 0) return;
    if (Date.now() > deadline) throw new Error(`Firefox did not suspend the event page (state ${now.state}, ${now.views} page(s) loaded)`);
    await sleep(100);
  }
}
