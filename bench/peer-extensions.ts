// The minimal extensions the injection bench sets TokenTap beside, written into temp dirs (no
// download): the engine's floor, and a naive peer that adds the header from the page's own world.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_DIR } from '../drive/chromium';
import { SITE_RESOURCE_TYPES } from '../src/inject/rules';

/** The host access TokenTap asks at install, read from its build so the floor holds exactly that. */
export function tokentapHostPermissions(extensionDir = EXTENSION_DIR): string[] {
  return (JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { host_permissions: string[] }).host_permissions;
}

/** The id of the floor's one rule: a header rule for a host that does not exist, so it matches nothing. */
export const FLOOR_RULE_ID = 1;

function writeExtension(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/**
 * What any header-adding extension costs before it adds anything: the permission TokenTap holds,
 * its host access, and ONE session header rule that matches nothing (Chromium sends requests
 * through the extension hop once some header rule exists). Its worker installs the rule at start.
 */
export function writeFloorExtension(hostPermissions: string[]): string {
  const rule = {
    id: FLOOR_RULE_ID,
    priority: 1,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer floor' }] },
    condition: { urlFilter: '||floor.invalid^', resourceTypes: SITE_RESOURCE_TYPES },
  };
  return writeExtension('tokentap-bench-floor-', {
    'manifest.json': JSON.stringify({
      manifest_version: 3,
      name: 'Bench floor',
      version: '1',
      permissions: ['declarativeNetRequestWithHostAccess'],
      host_permissions: hostPermissions,
      background: { service_worker: 'worker.js' },
    }),
    'worker.js': `chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [${FLOOR_RULE_ID}], addRules: [${JSON.stringify(rule)}] });`,
  });
}

/**
 * The way header-injector peers without network rules do it: a content script in the page's own
 * world, at document start, wraps `fetch` and adds the header to calls under `apiBaseUrls`. A real
 * peer reads its token from storage once per page; per call it does what this does.
 */
export function writeNaivePeerExtension(options: { matches: string[]; apiBaseUrls: string[]; header: string; value: string }): string {
  const wrapper = `(() => {
  const apiBaseUrls = ${JSON.stringify(options.apiBaseUrls)};
  const original = window.fetch;
  window.fetch = function (input, init) {
    const request = new Request(input, init);
    if (!apiBaseUrls.some((base) => request.url.startsWith(base))) return original.call(this, request);
    const headers = new Headers(request.headers);
    headers.set(${JSON.stringify(options.header)}, ${JSON.stringify(options.value)});
    return original.call(this, new Request(request, { headers }));
  };
})();`;
  return writeExtension('tokentap-bench-naive-', {
    'manifest.json': JSON.stringify({
      manifest_version: 3,
      name: 'Bench naive peer',
      version: '1',
      content_scripts: [{ matches: options.matches, js: ['wrap-fetch.js'], run_at: 'document_start', world: 'MAIN' }],
    }),
    'wrap-fetch.js': wrapper,
  });
}
