import { useState } from 'preact/hooks';
import { browser } from '../platform';
import type { Provider } from '../providers/model';
import { redirectUrlOf } from '../redirect-url';

/**
 * The redirect URL one provider must register, with a copy button. Each provider has its own, so
 * one provider can never receive the sign-in answer meant for another (README "Redirect URL to
 * register at the provider").
 */
export function RedirectUrl({ provider }: { provider: Provider }) {
  return (
    <CopyableUrl
      id={`redirect-url-${provider.id}`}
      url={redirectUrlOf(provider)}
      label={`Redirect URL for ${provider.name}`}
      copyLabel={`Copy redirect URL for ${provider.name}`}
    />
  );
}

/** A URL to register somewhere, shown read-only with a Copy button that says whether it copied. */
export function CopyableUrl({ id, url, label, copyLabel }: { id: string; url: string; label: string; copyLabel: string }) {
  const [copied, setCopied] = useState<string>();
  // Run by the button with `void` (Preact ignores its result): it says itself whether it copied.
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(`${label} copied.`);
    } catch {
      setCopied('The browser refused clipboard access; select the URL and copy it.');
    }
  };
  return (
    <div class="copyable">
      <label for={id}>{label}</label>
      <input id={id} readOnly value={url} size={url.length} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" aria-label={copyLabel} onClick={() => void copy()}>
        Copy
      </button>
      {copied && <span role="status">{copied}</span>}
    </div>
  );
}

/** What a provider not added yet will get, so it can be registered at the provider first. */
export function RedirectUrlPattern() {
  return (
    <p class="muted">
      Each provider has its own redirect URL: register it at the provider as the redirect URI (callback URL), exactly as written. A provider
      with id <code>my-api</code> gets <code>{browser.identity.getRedirectURL('my-api')}</code>; a tab-mode provider uses its{' '}
      <code>redirectUri</code>.
    </p>
  );
}
