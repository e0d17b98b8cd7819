// HTML building blocks for the demo pages: escaping and a small, accessible page layout.

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe to put inside an inline `<script>` element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function hiddenFields(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n      ');
}

/** Values shown as code in running text, e.g. the redirect URIs an app registered. */
export function codeList(values: readonly string[]): string {
  return values.map((value) => `<code>${escapeHtml(value)}</code>`).join(', ');
}

export interface PageOptions {
  /** Document title and the page's h1. */
  title: string;
  /** Provider or app name shown above the title. */
  brand: string;
  /** Accent colour (CSS). */
  accent: string;
  /** Trusted HTML for the main content (escape every value that came from a request). */
  body: string;
  /** Trusted inline script, if any. */
  script?: string;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f4f6;color:#111827}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.brand{margin:0 0 .25rem;font-weight:700;letter-spacing:.02em;color:var(--accent)}
h1{margin:0 0 1rem;font-size:1.35rem;line-height:1.3}
ul{padding-left:1.25rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],input[type=password],textarea{width:100%;padding:.5rem .6rem;border:1px solid #9ca3af;border-radius:6px;font:inherit}
textarea{font-family:ui-monospace,monospace;font-size:.9rem}
.actions{display:flex;gap:.75rem;margin-top:1.5rem;flex-wrap:wrap}
button{padding:.55rem 1.2rem;border-radius:6px;border:1px solid var(--accent);font:inherit;font-weight:600;cursor:pointer;background:#fff;color:var(--accent)}
button.primary{background:var(--accent);color:#fff}
button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.alert{padding:.6rem .8rem;border-radius:6px;background:#fef2f2;color:#991b1b;border:1px solid #fecaca}
.muted{color:#4b5563;font-size:.9rem}
code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}
`;

export function page(options: PageOptions): string {
  const script = options.script ? `\n<script>\n${options.script}\n</script>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} – ${escapeHtml(options.brand)}</title>
<style>${CSS}</style>
</head>
<body style="--accent:${escapeHtml(options.accent)}">
<main>
  <p class="brand">${escapeHtml(options.brand)}</p>
  <h1>${escapeHtml(options.title)}</h1>
  ${options.body}
</main>${script}
</body>
</html>
`;
}

/** Headers for pages that must never be framed or cached (consent, login, errors). */
export const AUTH_PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
} as const;
