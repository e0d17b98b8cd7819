import { describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import { SEED_PROVIDERS_JSON } from '../../test/fixtures/seed-providers';
import { captureScriptChange, captureScriptMatches } from './capture-script-plan';

const SCRIPT = 'src/content/redirect-capture.js';
// The seed providers (auth window), and two tab-mode ones: ReadyCloud's default token page and a local page on another port.
const seeds = parseProviderJson(SEED_PROVIDERS_JSON);
const tabProviders = parseProviderJson(`{ "providers": [
  { "id": "readycloud-tab", "name": "ReadyCloud (tab)", "flow": "implicit", "authorizationUrl": "https://www.readycloud.com/api/oauth2/authorize",
    "clientId": "burgermaker-client", "apiBaseUrls": ["https://www.readycloud.com/api/v1/"], "redirectMode": "tab",
    "redirectUri": "https://www.readycloud.com/api/oauth2/token-page" },
  { "id": "local-tab", "name": "Local (tab)", "flow": "code", "authorizationUrl": "http://127.0.0.1:8710/oauth/authorize",
    "tokenUrl": "http://127.0.0.1:8710/oauth/token", "clientId": "local", "apiBaseUrls": ["http://127.0.0.1:8710/api/"],
    "redirectMode": "tab", "redirectUri": "http://127.0.0.1:8711/oauth/token-page" }
] }`);
const wanted = (matches: string[]) => ({ matches, js: [SCRIPT], runAt: 'document_start' });

describe('captureScriptMatches', () => {
  it('covers every tab-mode redirect page, with and without a query, sorted', () => {
    expect(captureScriptMatches([...seeds, ...tabProviders])).toEqual([
      'http://127.0.0.1/oauth/token-page',
      'http://127.0.0.1/oauth/token-page?*',
      'https://www.readycloud.com/api/oauth2/token-page',
      'https://www.readycloud.com/api/oauth2/token-page?*',
    ]);
  });

  it('lists a page two providers share once, and none without tab-mode providers', () => {
    const twin = { ...tabProviders[0]!, id: 'readycloud-tab-2' };
    expect(captureScriptMatches([tabProviders[0]!, twin])).toHaveLength(2);
    expect(captureScriptMatches(seeds)).toEqual([]);
  });
});

describe('captureScriptChange', () => {
  const matches = captureScriptMatches(tabProviders);

  it('registers the script for the first tab-mode provider and removes it after the last', () => {
    expect(captureScriptChange(undefined, wanted(matches))).toBe('register');
    expect(captureScriptChange(wanted(matches), wanted([]))).toBe('unregister');
    expect(captureScriptChange(undefined, wanted([]))).toBe('keep');
  });

  it('leaves a registration that already matches alone, whatever the order the browser lists it in', () => {
    expect(captureScriptChange({ ...wanted([...matches].reverse()) }, wanted(matches))).toBe('keep');
  });

  it('updates it when the pages, the file or the timing differ', () => {
    expect(captureScriptChange(wanted(matches.slice(1)), wanted(matches))).toBe('update');
    expect(captureScriptChange({ ...wanted(matches), js: ['assets/old.js'] }, wanted(matches))).toBe('update');
    expect(captureScriptChange({ ...wanted(matches), runAt: 'document_idle' }, wanted(matches))).toBe('update');
    expect(captureScriptChange({ js: [SCRIPT], runAt: 'document_start' }, wanted(matches))).toBe('update');
  });
});
