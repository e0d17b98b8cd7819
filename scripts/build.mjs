// Builds dist/chrome and dist/firefox from one source, then prints what each page costs to load.
import { build } from 'vite';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, resolve } from 'node:path';

const targets = ['chrome', 'firefox'];
for (const mode of targets) await build({ mode, logLevel: 'warn' });

/** JS a page loads: its entry scripts and the chunks Vite preloads for them. */
function pageScripts(dir, htmlPath) {
  const html = readFileSync(join(dir, htmlPath), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
  return [...new Set(refs.map((ref) => (ref.startsWith('/') ? join(dir, ref) : resolve(dirname(join(dir, htmlPath)), ref))))];
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (files) => files.reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);
const raw = (files) => files.reduce((sum, f) => sum + statSync(f).size, 0);
function allFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

console.log('\nBundle sizes: the JS each page loads, raw and gzipped (gzip is the budget measure):');
for (const target of targets) {
  const dir = `dist/${target}`;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const loader = manifest.background.service_worker ?? manifest.background.scripts[0];
  const bgEntry = readFileSync(join(dir, loader), 'utf8').match(/import ['"]\.\/(.+?)['"]/)?.[1];
  const rows = {
    popup: pageScripts(dir, 'src/popup/index.html'),
    options: pageScripts(dir, 'src/options/index.html'),
    background: bgEntry ? [join(dir, bgEntry)] : [],
  };
  for (const [name, files] of Object.entries(rows)) {
    console.log(`  ${target.padEnd(8)} ${name.padEnd(11)} ${kb(raw(files)).padStart(9)}  gzip ${kb(gz(files)).padStart(8)}`);
  }
  console.log(`  ${target.padEnd(8)} ${'total'.padEnd(11)} ${kb(raw(allFiles(dir))).padStart(9)}  (${allFiles(dir).length} files)`);
}
