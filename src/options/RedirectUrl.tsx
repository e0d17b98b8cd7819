import { browser } from '../platform';
import { useState } from 'preact/hooks';

/** The URL providers must accept as redirect URI; it differs per browser (and per extension id). */
export function RedirectUrl() {
  const url = browser.identity.getRedirectURL();
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Redirect URL copied.');
    } catch {
      setCopied('The browser refused clipboard access; select the URL and copy it.');
    }
  };
  return (
    <section>
      <h2>
        <label for="redirect-url">Redirect URL</label>
      </h2>
      <p>Register this URL as the redirect URI (callback URL) at each provider, exactly as written:</p>
      <p class="copyable">
        <input id="redirect-url" readOnly value={url} size={url.length} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy redirect URL
        </button>
      </p>
      {copied && <p role="status">{copied}</p>}
    </section>
  );
}
