// Runs the real `scripts/package.mjs` once (on the dist/ that `npm test` has just built, or after a
// build of its own) into a temporary directory, and opens the three zips it writes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const GECKO_ID = 'tokentap@tokentap.dev';

type Manifest = Record<string, unknown> & {
  version?: string;
  key?: string;
  browser_specific_settings?: { gecko?: { id?: string } };
};

function filesUnder(dir: string): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir)
    .map((f) => relative(dir, f).split(sep).join('/'))
    .sort();
}
const distManifest = (target: string): Manifest | undefined => {
  const file = join(root, 'dist', target, 'manifest.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Manifest) : undefined;
};
const fileNames = (zip: JSZip) =>
  Object.values(zip.files)
    .filter((f) => !f.dir)
    .map((f) => f.name);
const manifestOf = async (zip: JSZip) => JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;

let out: string;
let printed: string;
const zips: Record<'chrome' | 'firefox' | 'source', JSZip> = {} as never;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'tokentap-package-'));
  const built = ['chrome', 'firefox'].every((t) => distManifest(t)?.version === version);
  printed = execFileSync(process.execPath, ['scripts/package.mjs', ...(built ? ['--skip-build'] : []), '--out', out], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const target of ['chrome', 'firefox', 'source'] as const) {
    zips[target] = await JSZip.loadAsync(readFileSync(join(out, `tokentap-${target}-${version}.zip`)));
  }
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('npm run package', () => {
  it('writes the three zips, named with the package.json version, and says so', () => {
    expect(readdirSync(out).sort()).toEqual([
      `tokentap-chrome-${version}.zip`,
      `tokentap-firefox-${version}.zip`,
      `tokentap-source-${version}.zip`,
    ]);
    expect(printed).toContain(`tokentap-chrome-${version}.zip`);
    expect(printed).toContain(`tokentap-firefox-${version}.zip`);
    expect(printed).toContain(`tokentap-source-${version}.zip`);
  });

  it('Chrome: dist/chrome at the root, manifest.json first, without `key` (the Web Store refuses it)', async () => {
    const zip = zips.chrome;
    expect(fileNames(zip)[0]).toBe('manifest.json');
    expect(fileNames(zip).sort()).toEqual(filesUnder(join(root, 'dist', 'chrome')));
    const manifest = await manifestOf(zip);
    expect(manifest.version).toBe(version);
    expect(manifest.manifest_version).toBe(3);
    expect(manifest).not.toHaveProperty('key');
    // Everything else is the built manifest, which keeps `key` for Load unpacked.
    const { key, ...rest } = distManifest('chrome')!;
    expect(key).toEqual(expect.any(String));
    expect(manifest).toEqual(rest);
    for (const name of fileNames(zip).filter((n) => n !== 'manifest.json')) {
      expect(Buffer.from(await zip.file(name)!.async('uint8array')).equals(readFileSync(join(root, 'dist', 'chrome', name))), name).toBe(true);
    }
  });

  it('Firefox: web-ext build of dist/firefox, with the gecko id', async () => {
    const zip = zips.firefox;
    expect(fileNames(zip).sort()).toEqual(filesUnder(join(root, 'dist', 'firefox')));
    const manifest = await manifestOf(zip);
    expect(manifest.version).toBe(version);
    expect(manifest.browser_specific_settings?.gecko?.id).toBe(GECKO_ID);
    expect(manifest).toEqual(distManifest('firefox'));
  });

  it('source: what AMO reviewers need to rebuild, and no node_modules, dist or .git', async () => {
    const names = fileNames(zips.source);
    for (const needed of [
      'package.json',
      'package-lock.json',
      'SOURCE-BUILD.md',
      'manifest.json',
      'vite.config.ts',
      'scripts/build.mjs',
      'src/background/index.ts',
    ]) {
      expect(names, needed).toContain(needed);
    }
    expect(names.filter((n) => /^(node_modules|dist|\.git)\//.test(n) || n.includes('/node_modules/'))).toEqual([]);
    expect(await zips.source.file('package.json')!.async('string')).toBe(readFileSync(join(root, 'package.json'), 'utf8'));
    const notes = await zips.source.file('SOURCE-BUILD.md')!.async('string');
    expect(notes).toContain('npm ci');
    expect(notes).toContain('npm run build');
    expect(notes).toContain(`tokentap-firefox-${version}.zip`);
  });
});
