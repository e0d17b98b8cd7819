import { useEffect, useState } from 'preact/hooks';
import { formatDuration } from '../accounts/account';
import { providerOf } from '../accounts/account-provider';
import type { Provider } from '../providers/model';
import { onDeviceSignInsChanged, readDeviceSignIns, type DeviceSignIn } from '../storage/device-sign-ins';

/**
 * The device sign-ins in progress (README: Device sign-in): per sign-in, the **User code** with a
 * Copy button, the page to type it on, a countdown to its expiry, and Cancel. Read from
 * storage.session, so a popup closed and opened again shows them as they are.
 */
export function DeviceSignIns({
  providers,
  now,
  onCancel,
  onNotice,
}: {
  providers: readonly Provider[];
  now: number;
  onCancel: (id: string) => void;
  onNotice: (text: string) => void;
}) {
  const signIns = useDeviceSignIns();
  if (signIns.length === 0) return null;
  return (
    <section aria-label="Device sign-ins">
      {signIns.map((signIn) => {
        const name = providerOf(providers, signIn.providerId)?.name ?? signIn.providerId;
        const codeId = `user-code-${signIn.id}`;
        const copy = async () => {
          try {
            await navigator.clipboard.writeText(signIn.userCode);
            onNotice('User code copied to the clipboard.');
          } catch {
            onNotice('The browser refused clipboard access; the code was not copied.');
          }
        };
        const left = formatDuration(signIn.polling.expiresAt - now);
        return (
          <div key={signIn.id} class="device-sign-in" role="group" aria-label={`Sign-in at ${name}`}>
            <p>
              Enter this code at{' '}
              <a href={signIn.verificationUri} target="_blank" rel="noreferrer">
                {signIn.verificationUri}
              </a>{' '}
              to connect {name}:
            </p>
            <label for={codeId}>User code</label>{' '}
            <input id={codeId} class="user-code" readOnly value={signIn.userCode} onFocus={(e) => e.currentTarget.select()} />{' '}
            <button type="button" onClick={() => void copy()}>
              Copy
            </button>
            <p class="muted">{left === 'expired' ? left : `expires in ${left}`}</p>
            <button type="button" onClick={() => onCancel(signIn.id)}>
              Cancel
            </button>
          </div>
        );
      })}
    </section>
  );
}

/** The device sign-ins in storage.session, kept current as the background polls and ends them. */
function useDeviceSignIns(): DeviceSignIn[] {
  const [signIns, setSignIns] = useState<DeviceSignIn[]>([]);
  useEffect(() => {
    const stop = onDeviceSignInsChanged(setSignIns);
    void readDeviceSignIns().then(setSignIns);
    return stop;
  }, []);
  return signIns;
}
