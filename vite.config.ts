import { resolve, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { crx, type CrxPlugin, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };
import { CONSOLE_PAGE } from './src/console/page.ts';

export type Target = 'chrome' | 'firefox';

const SOURCE_DIR = resolve(import.meta.dirname, 'src') + sep;

/** Firefox's add-on id; its identity redirect URL is derived from it, so it must never change. */
export const GECKO_ID = 'tokentap@tokentap.dev';

/**
 * One source manifest, two shapes: Chrome wants a service worker, Firefox ESR refuses a
 * service-worker-only background and needs background.scripts plus a gecko id.
 */
export function manifestFor(target: Target): ManifestV3Export {
  const { background, key, ...common } = baseManifest;
  if (target === 'chrome') {
    // `key` pins the extension id, so the redirect URL users register stays the same.
    return { ...common, version: pkg.version, key, background };
  }
  return {
    ...common,
    version: pkg.version,
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings: {
      // 128 is the first ESR with MV3 optional_host_permissions and declarativeNetRequestWithHostAccess.
      gecko: {
        id: GECKO_ID,
        strict_min_version: '128.0',
        // TokenTap sends nothing to anyone but the providers the user configures.
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}

/**
 * crxjs lists every script registered with `scripting.registerContentScripts` as a web-accessible
 * resource, which any web page may then load (and learn the extension is installed). The browser
 * injects a registered script itself; the redirect-page capture script is one self-contained file
 * (`?iife`), so no page needs to load it and nothing is web-accessible.
 */
const noWebAccessibleResources: CrxPlugin = {
  name: 'tokentap:no-web-accessible-resources',
  enforce: 'post',
  renderCrxManifest(manifest) {
    delete manifest.web_accessible_resources;
    return manifest;
  },
};

/**
 * Vite wraps every dynamic `import()` in a helper (1.3 KB gzipped, its internal module below) that
 * first preloads the imported chunk's dependencies and CSS. An extension page reads its chunks
 * from disk, and what a page imports dynamically it fetches after it has painted (README,
 * Performance), so the helper just calls the import, and no dependency lists are emitted for it
 * (`resolveDependencies` below).
 */
const plainDynamicImports: Plugin = {
  name: 'tokentap:plain-dynamic-imports',
  enforce: 'pre',
  load(id) {
    return id === '\0vite/preload-helper.js' ? 'export const __vitePreload = (load) => load();' : null;
  },
};

/**
 * The pages and the background run in separate contexts, so a chunk they share is loaded by each
 * all the same, and carries the other side's code: the popup would load the background's writer,
 * sealing and rule compiler with the modules they share. So every source module a page imports
 * gets an id of its own, and is bundled, tree-shaken, apart from the background's copy.
 */
const PAGE_COPY = '?page';
/**
 * The console page (opened by Try it) gets a copy of everything it imports, Preact included: a
 * module it shared with the popup or options page would split their shared chunk into more files,
 * and the popup would load more before it paints (README, Performance).
 */
const CONSOLE_HTML = resolve(import.meta.dirname, CONSOLE_PAGE);
const CONSOLE_COPY = '?console';
const pagesApart: Plugin = {
  name: 'tokentap:pages-apart',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (importer === undefined) return null;
    const forConsole = importer === CONSOLE_HTML || importer.endsWith(CONSOLE_COPY);
    if (!forConsole && !(importer.endsWith('.html') || importer.endsWith(PAGE_COPY))) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (resolved === null || resolved.external || resolved.id.includes('?') || resolved.id.startsWith('\0')) return resolved;
    if (forConsole && /\.(tsx?|m?js)$/.test(resolved.id)) return { ...resolved, id: resolved.id + CONSOLE_COPY };
    if (!resolved.id.startsWith(SOURCE_DIR) || !/\.tsx?$/.test(resolved.id)) return resolved;
    return { ...resolved, id: resolved.id + PAGE_COPY };
  },
};

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [preact(), crx({ manifest: manifestFor(target), browser: target }), noWebAccessibleResources, plainDynamicImports, pagesApart],
    build: {
      // The console page is opened by Try it (tabs.create), not named in the manifest: an input of its own.
      rollupOptions: { input: { console: CONSOLE_PAGE } },
      outDir: `dist/${target}`,
      emptyOutDir: true,
      // Source maps would ship tokens' code paths twice; the bundles are small enough to read.
      sourcemap: false,
      target: 'es2022',
      // Both browsers load <link rel="modulepreload"> themselves (Chrome 66, Firefox 115): no polyfill.
      // The HTML keeps its preloads; dynamic imports get none (plainDynamicImports).
      modulePreload: { polyfill: false, resolveDependencies: (_file, deps, { hostType }) => (hostType === 'html' ? deps : []) },
    },
  };
});
