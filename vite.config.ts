import { defineConfig } from 'vite';
import { crx, type CrxPlugin, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

export type Target = 'chrome' | 'firefox';

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

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [preact(), crx({ manifest: manifestFor(target), browser: target }), noWebAccessibleResources],
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      // Source maps would ship tokens' code paths twice; the bundles are small enough to read.
      sourcemap: false,
      target: 'es2022',
    },
  };
});
