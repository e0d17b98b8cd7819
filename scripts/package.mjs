// Writes the store packages into dist/packages/: the Chrome Web Store zip, the AMO zip (web-ext
// build) and the source zip AMO reviewers rebuild from. Versioned from package.json.
//
//   node scripts/package.mjs [--skip-build] [--out <dir>]
//
// --skip-build packages dist/ as it is (it must match package.json's version); --out writes the
// zips elsewhere (the packaging test uses a temporary directory).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const outArg = args.indexOf('--out');

const fail = (message) => {
  console.error(`package: ${message}`);
  process.exit(1);
};
if (outArg >= 0 && !args[outArg + 1]) fail('--out needs a directory');
const outDir = resolve(root, outArg >= 0 ? args[outArg + 1] : 'dist/packages');
// The directory is emptied first: never the project itself or one of its parents.
if (relative(outDir, root) === '' || !relative(outDir, root).startsWith('..')) fail(`refusing to empty ${outDir}`);
const run = (cmd, cmdArgs, opts = {}) => execFileSync(cmd, cmdArgs, { cwd: root, encoding: 'utf8', ...opts });
const git = (...gitArgs) => {
  try {
    return run('git', gitArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null; // not a git checkout (e.g. the unpacked source zip)
  }
};

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { version } = pkg;
// Both stores take 1–4 dot-separated integers (0–65535) and nothing else: no "-beta", no "+build".
if (!/^\d+(\.\d+){0,3}$/.test(version) || version.split('.').some((n) => Number(n) > 65535 || (n.length > 1 && n.startsWith('0')))) {
  fail(`package.json version "${version}" is not a valid extension version (1 to 4 integers 0–65535, e.g. 1.2.3)`);
}

// Fixed timestamps and sorted entries: the same tree gives the same zip bytes.
const epoch = Number(process.env.SOURCE_DATE_EPOCH) || Number(git('log', '-1', '--format=%ct')?.trim()) || 315_619_200; // 1980-01-02
const date = new Date(epoch * 1000);

/** Every file under dir, as sorted '/'-separated paths relative to it; skip names directories to leave out. */
function filesUnder(dir, skip = new Set()) {
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true })
      .filter((e) => !skip.has(e.name))
      .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  return walk(dir)
    .map((f) => relative(dir, f).split(sep).join('/'))
    .sort();
}

async function writeZip(file, entries) {
  const zip = new JSZip();
  // No folder entries: JSZip would stamp them with the current time.
  for (const [name, data] of entries) zip.file(name, data, { date, createFolders: false });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  writeFileSync(file, bytes);
  return file;
}

function readManifest(target) {
  const file = join(root, 'dist', target, 'manifest.json');
  if (!existsSync(file)) fail(`${relative(root, file)} is missing; run without --skip-build`);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  if (manifest.version !== version) {
    fail(`dist/${target} is version ${manifest.version}, package.json says ${version}; run without --skip-build`);
  }
  return manifest;
}

// 1. Build both browsers from this tree.
if (!skipBuild) run(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const names = {
  chrome: `tokentap-chrome-${version}.zip`,
  firefox: `tokentap-firefox-${version}.zip`,
  source: `tokentap-source-${version}.zip`,
};

// 2. Chrome Web Store: dist/chrome at the zip root, without `key`. The store refuses an upload
// whose manifest has `key` ("key field is not allowed in manifest") and signs the item with its
// own key; dist/chrome keeps it, so Load unpacked still pins the extension id.
const chromeManifest = readManifest('chrome');
delete chromeManifest.key;
const chromeDir = join(root, 'dist', 'chrome');
await writeZip(join(outDir, names.chrome), [
  ['manifest.json', `${JSON.stringify(chromeManifest, null, 2)}\n`],
  ...filesUnder(chromeDir)
    .filter((f) => f !== 'manifest.json')
    .map((f) => [f, readFileSync(join(chromeDir, f))]),
]);

// 3. AMO: web-ext build, the packager Mozilla documents for AMO uploads.
const firefoxManifest = readManifest('firefox');
if (!firefoxManifest.browser_specific_settings?.gecko?.id) fail('dist/firefox/manifest.json has no gecko id');
const webExtBin = join(root, 'node_modules', 'web-ext', 'bin', 'web-ext.js'); // a devDependency
run(
  process.execPath,
  [
    webExtBin,
    'build',
    '--no-config-discovery',
    '--overwrite-dest',
    '--source-dir',
    join(root, 'dist', 'firefox'),
    '--artifacts-dir',
    outDir,
    '--filename',
    names.firefox,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

// 4. Source for AMO review: the tracked files as they are on disk (what was just built), plus
// the build instructions. Outside git (the unpacked source zip itself) every file but the
// ignored directories.
const ignoredDirs = new Set(['node_modules', 'dist', '.git', '.demo', 'test-results']);
const tracked = git('ls-files', '-z')?.split('\0').filter(Boolean);
const sources = (tracked ?? filesUnder(root, ignoredDirs).filter((f) => !f.endsWith('.log')))
  .filter((f) => !ignoredDirs.has(f.split('/')[0]) && existsSync(join(root, f)) && statSync(join(root, f)).isFile())
  .sort();
const untracked = git('ls-files', '--others', '--exclude-standard', '-z')?.split('\0').filter(Boolean) ?? [];
const npmVersion = (() => {
  try {
    return run('npm', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
})();
const buildNotes = `# Building TokenTap ${version} from source

This archive is the source of TokenTap ${version}: the files of its git repository, with
package-lock.json pinning every npm dependency. The add-on uploaded to AMO,
${names.firefox}, is the directory dist/firefox built from it. The code is TypeScript and
Preact, bundled and minified by Vite with @crxjs/vite-plugin; nothing is obfuscated, and
nothing is generated or downloaded during the build except the npm packages.

Requirements: Linux (built on Debian), Node.js 20 or newer, npm. This package was made with
Node.js ${process.version} and npm ${npmVersion}. No browser is needed.

    npm ci
    npm run build

dist/firefox then holds the files of ${names.firefox}. To compare:

    mkdir /tmp/amo && unzip -q ${names.firefox} -d /tmp/amo && diff -r /tmp/amo dist/firefox

One name differs when you build in another directory: the background chunk
assets/index.ts-<hash>.js (and the line of service-worker-loader.js that imports it).
The build (@crxjs/vite-plugin) makes that chunk's hash depend on the absolute path of the
project directory; the file's content is the same, and the same directory gives the same name.
\`npm run package\` writes the three zips again, into dist/packages/.
`;
await writeZip(join(outDir, names.source), [...sources.map((f) => [f, readFileSync(join(root, f))]), ['SOURCE-BUILD.md', buildNotes]]);

// 5. Say what was written.
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`\nPackages for TokenTap ${version} in ${relative(root, outDir) || '.'}/:`);
for (const [target, name] of Object.entries(names)) {
  const bytes = readFileSync(join(outDir, name));
  const sha = createHash('sha256').update(bytes).digest('hex');
  console.log(`  ${target.padEnd(8)} ${name.padEnd(30)} ${kb(bytes.length).padStart(9)}  sha256 ${sha.slice(0, 16)}`);
}
console.log('  chrome zip: manifest without `key` (the Chrome Web Store refuses it); dist/chrome keeps it for Load unpacked');
console.log(`  source zip: ${sources.length} files${tracked ? ' tracked by git' : ''} + SOURCE-BUILD.md`);
if (untracked.length) {
  console.warn(`  note: not in the source zip (untracked): ${untracked.join(', ')}`);
}
