import { useState } from 'preact/hooks';
import { request } from '../messages';
import type { Provider } from '../providers/model';

/** The accessible name of one provider's paste fields (README "Pasting a token"). */
export const pasteTokenName = (provider: Provider) => `Paste a token for ${provider.name}`;

/**
 * **Access token**, **Expires in** and **Add account** for one provider: an account for a token
 * the user got elsewhere (a provider's page "for manual entry", a personal access token). The
 * background checks both fields; the token is never shown, not even here.
 */
export function PasteToken({ provider }: { provider: Provider }) {
  const [token, setToken] = useState('');
  const [expiresIn, setExpiresIn] = useState('');
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string }>();
  const id = `paste-${provider.id}`;
  // Run by the form with `void` (Preact ignores its result): it sets `message` itself.
  const add = async () => {
    const result = await request('addPastedToken', { providerId: provider.id, accessToken: token, expiresIn });
    if (!result.ok) return setMessage({ kind: 'alert', text: result.error });
    setToken('');
    setExpiresIn('');
    setMessage({ kind: 'status', text: `Added ${provider.name} ${result.value.label}.` });
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <fieldset>
        <legend>{pasteTokenName(provider)}</legend>
        <label for={`${id}-token`}>Access token</label>{' '}
        <input id={`${id}-token`} type="password" autoComplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />{' '}
        <label for={`${id}-expires`}>Expires in</label>{' '}
        <input
          id={`${id}-expires`}
          inputMode="numeric"
          size={8}
          aria-describedby={`${id}-expires-hint`}
          value={expiresIn}
          onInput={(e) => setExpiresIn(e.currentTarget.value)}
        />{' '}
        <span id={`${id}-expires-hint`} class="muted">
          seconds; leave empty when unknown
        </span>{' '}
        <button type="submit">Add account</button>
        {message && <p role={message.kind}>{message.text}</p>}
      </fieldset>
    </form>
  );
}
