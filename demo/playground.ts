// The playground: a page on its own local origin that calls both demo APIs with plain `fetch`
// (no Authorization header: the extension attaches it) and shows what came back.
import { escapeHtml, jsonForScript } from './html';
import { createListener, listen, sendHtml, sendText, type RecordedRequest } from './http';

export interface PlaygroundOptions {
  /** Default 'localhost' (another host than the APIs on purpose). */
  host?: string;
  port?: number;
  /** The API URLs the buttons call. */
  apis: { readycloud: string; skyvault: string };
}

export interface PlaygroundServer {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#0f172a;color:#e2e8f0}
main{max-width:56rem;margin:0 auto;padding:2rem 1.25rem}
h1{margin:0 0 .25rem;font-size:1.6rem}
p{margin:.25rem 0 1rem;color:#94a3b8}
code{font-family:ui-monospace,monospace;color:#cbd5e1;overflow-wrap:anywhere}
.grid{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr))}
section{background:#1e293b;border-radius:12px;padding:1.25rem}
h2{margin:0 0 .25rem;font-size:1.1rem}
button{padding:.55rem 1.1rem;border-radius:8px;border:0;font:inherit;font-weight:600;cursor:pointer;background:#38bdf8;color:#0f172a}
button:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.result{margin-top:1rem}
.status{font-weight:700}
.ok{color:#4ade80}.bad{color:#f87171}
pre{margin:.5rem 0 0;padding:.75rem;background:#0f172a;border-radius:8px;max-height:22rem;overflow:auto;font-size:.85rem;white-space:pre-wrap;word-break:break-word}
`;

const SCRIPT = `
(function () {
  var apis = JSON.parse(document.getElementById('apis').textContent);
  function show(id, status, ok, body) {
    var out = document.getElementById(id);
    var line = document.createElement('div');
    line.className = 'status ' + (ok ? 'ok' : 'bad');
    line.textContent = status;
    var pre = document.createElement('pre');
    pre.textContent = body;
    out.replaceChildren(line, pre);
  }
  var tally = { readycloud: {}, skyvault: {}, 'readycloud-write': {} };
  function count(name, outcome) {
    var t = tally[name];
    t[outcome] = (t[outcome] || 0) + 1;
    document.getElementById(name + '-tally').textContent = 'So far: ' + Object.keys(t).map(function (k) { return t[k] + ' × ' + k; }).join(', ');
  }
  function call(name) {
    return report(name, fetch(apis[name], { cache: 'no-store' }));
  }
  // A write, so ReadyCloud's read-only access shows (403); the Blob's type sets Content-Type.
  function createOrder() {
    var order = new Blob([JSON.stringify({ customer: 'Playground', total: 1 })], { type: 'application/json' });
    return report('readycloud-write', fetch(apis.readycloud, { method: 'POST', cache: 'no-store', body: order }));
  }
  function report(name, answer) {
    var id = name + '-result';
    document.getElementById(id).textContent = 'Calling…';
    return answer.then(function (res) {
      count(name, 'HTTP ' + res.status);
      return res.text().then(function (text) {
        var body = text;
        try { body = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
        show(id, 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''), res.ok, body);
      });
    }, function (err) {
      count(name, 'network error');
      show(id, 'Network error', false, String(err && err.message || err));
    });
  }
  document.getElementById('call-readycloud').addEventListener('click', function () { call('readycloud'); });
  document.getElementById('call-skyvault').addEventListener('click', function () { call('skyvault'); });
  document.getElementById('call-readycloud-write').addEventListener('click', createOrder);
  var timer;
  var repeat = document.getElementById('repeat');
  repeat.addEventListener('change', function () {
    clearInterval(timer);
    if (repeat.checked) timer = setInterval(function () { call('readycloud'); call('skyvault'); }, 5000);
  });
  if (new URLSearchParams(location.search).get('auto') === '1') { call('readycloud'); call('skyvault'); }
})();`;

function playgroundPage(origin: string, apis: PlaygroundOptions['apis']): string {
  // A write, so ReadyCloud's choice of full or read-only access shows (a read-only token gets 403).
  const readyCloudWrite = `
      <p><code>POST ${escapeHtml(apis.readycloud)}</code></p>
      <button type="button" id="call-readycloud-write">Create a ReadyCloud order</button>
      <p id="readycloud-write-tally" role="status"></p>
      <div class="result" id="readycloud-write-result" aria-live="polite">Not called yet.</div>`;
  const section = (name: 'readycloud' | 'skyvault', title: string): string => `<section aria-labelledby="${name}-title">
      <h2 id="${name}-title">${title}</h2>
      <p><code>GET ${escapeHtml(apis[name])}</code></p>
      <button type="button" id="call-${name}">Call ${title} API</button>
      <p id="${name}-tally" role="status"></p>
      <div class="result" id="${name}-result" aria-live="polite">Not called yet.</div>${name === 'readycloud' ? readyCloudWrite : ''}
    </section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TokenTap playground</title>
<style>${CSS}</style>
</head>
<body>
<main>
  <h1>TokenTap playground</h1>
  <p>This page calls the demo APIs with plain <code>fetch</code> and sets no Authorization header.
  Approve <code>${escapeHtml(origin)}</code> for an account in TokenTap and the extension attaches its token.</p>
  <p><label><input type="checkbox" id="repeat"> Call both APIs every 5 seconds</label> (watch tokens being renewed)</p>
  <div class="grid">
    ${section('readycloud', 'ReadyCloud')}
    ${section('skyvault', 'SkyVault')}
  </div>
</main>
<script type="application/json" id="apis">${jsonForScript(apis)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/**
 * The playground app's own callback page, for registering at a provider as a fixed redirect URI
 * (TokenTap's "tab" redirect mode reads the answer there). It shows nothing of the answer.
 */
export const CALLBACK_PATH = '/callback';
const CALLBACK_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signed in</title></head>
<body><main><h1>Signed in</h1><p>You can close this tab.</p></main></body>
</html>
`;

export async function startPlayground(options: PlaygroundOptions): Promise<PlaygroundServer> {
  const requests: RecordedRequest[] = [];
  let html = '';
  const listening = await listen(
    createListener(requests, (req, res) => {
      if (req.url.pathname === CALLBACK_PATH && req.method === 'GET') return sendHtml(res, 200, CALLBACK_PAGE, { 'Cache-Control': 'no-store' });
      if (req.url.pathname !== '/') return sendText(res, 404, 'Not found');
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      sendHtml(res, 200, html, { 'Cache-Control': 'no-store' });
    }),
    options.host ?? 'localhost',
    options.port ?? 0,
  );
  html = playgroundPage(listening.origin, options.apis);
  return { origin: listening.origin, requests, close: () => listening.close() };
}
