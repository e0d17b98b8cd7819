// Builds dist/chrome and dist/firefox from one source, then prints what each page costs to load.
import { build } from 'vite';
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, posix } from 'node:path';

const targets = ['chrome', 'firefox'];
/** Per target, each chunk's static and dynamic imports, as Rolldown wrote them (paths from the build's root). */
const graphs = {};
for (const target of targets) {
  const graph = (graphs[target] = new Map());
  const chunkGraph = {
    name: 'tokentap:chunk-graph',
    writeBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') graph.set(chunk.fileName, { imports: chunk.imports, dynamicImports: chunk.dynamicImports });
      }
    },
  };
  await build({ mode: target, logLevel: 'warn', plugins: [chunkGraph] });
}

/** The scripts an HTML page names: its module scripts and modulepreloads, as paths from the build's root. */
function htmlScripts(dir, htmlPath) {
  const html = readFileSync(join(dir, htmlPath), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+)"/g)].map((m) => m[1]);
  return refs.map((ref) => (ref.startsWith('/') ? ref.slice(1) : posix.join(posix.dirname(htmlPath), ref)));
}

/** `files` and every chunk they import statically, transitively: what loads before any of it runs. */
function withStaticImports(graph, files) {
  const loaded = new Set();
  const visit = (file) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const imported of graph.get(file)?.imports ?? []) visit(imported);
  };
  files.forEach(visit);
  return loaded;
}

/** What the page fetches later: its dynamic imports (and theirs), with their static imports, less what it has. */
function loadedLater(graph, first) {
  const later = new Set();
  let reached = [...first];
  while (reached.length > 0) {
    const dynamic = reached.flatMap((file) => graph.get(file)?.dynamicImports ?? []);
    reached = [...withStaticImports(graph, dynamic)].filter((file) => !first.has(file) && !later.has(file));
    reached.forEach((file) => later.add(file));
  }
  return later;
}

// Level 9, as ../shared/tools/page-weight.mjs measures, so the figures agree.
const gz = (dir, files) => [...files].reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
const raw = (dir, files) => [...files].reduce((sum, f) => sum + readFileSync(join(dir, f)).length, 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
function allFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
const size = (dir, files) =>
  files.size === 0 ? 'nothing' : `${kb(gz(dir, files)).padStart(8)} gz, ${kb(raw(dir, files))} raw (${files.size} files)`;

console.log('\nJavaScript each page loads before it paints (its HTML scripts and their static imports) and later (dynamic imports), gzipped:');
for (const target of targets) {
  const dir = `dist/${target}`;
  const graph = graphs[target];
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const loader = manifest.background.service_worker ?? manifest.background.scripts[0];
  const loaderImport = readFileSync(join(dir, loader), 'utf8').match(/import ['"]\.\/(.+?)['"]/)?.[1];
  const entries = {
    popup: htmlScripts(dir, manifest.action.default_popup),
    options: htmlScripts(dir, manifest.options_ui.page),
    // Opened by Try it, so named by no manifest key: the page's folder, as vite.config.ts builds it.
    console: htmlScripts(dir, 'src/console/index.html'),
    background: loaderImport ? [posix.join(posix.dirname(loader), loaderImport)] : [],
  };
  for (const [name, files] of Object.entries(entries)) {
    const first = withStaticImports(graph, files);
    const later = loadedLater(graph, first);
    console.log(`  ${target.padEnd(8)} ${name.padEnd(11)} first ${size(dir, first)}; later ${size(dir, later)}`);
  }
  const files = allFiles(dir);
  console.log(
    `  ${target.padEnd(8)} ${'total'.padEnd(11)} ${kb(files.reduce((sum, f) => sum + readFileSync(f).length, 0))} raw (${files.length} files)`,
  );
}
