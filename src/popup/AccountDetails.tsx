// Details of one account: what its tokens say about themselves, decoded here in the popup (nothing is
// sent anywhere, nothing is verified), the scopes granted against those asked for, and the refresh
// token's lifetime. Never the raw token: Copy token stays the one way to get it.
import { useMemo } from 'preact/hooks';
import { formatDuration, holdsPastedToken, PASTED_TOKEN_NOTE, scopesToAsk, type Account } from '../accounts/account';
import { decodeJwt, describeClaim, describeTime, isUnsigned } from '../accounts/jwt';
import type { Provider } from '../providers/model';

interface Props {
  account: Account;
  provider: Provider | undefined;
  now: number;
}

export function AccountDetails({ account, provider, now }: Props) {
  const pasted = holdsPastedToken(account);
  // A pasted token was asked for by nobody here; otherwise the access chosen at Connect, else the provider's scopes.
  const asked = pasted ? [] : provider === undefined ? (account.askedScopes ?? []) : scopesToAsk(account, provider);
  const notGranted = asked.filter((scope) => !account.scopes.includes(scope));
  const unasked = account.scopes.filter((scope) => !asked.includes(scope));
  return (
    <div class="details">
      <p class="muted">Decoded here and not verified; nothing is sent anywhere.</p>
      {account.accessToken === '' ? (
        <p>Access token: none (Reconnect gets one).</p>
      ) : (
        <TokenParts title="Access token" token={account.accessToken} now={now} />
      )}
      {account.idToken !== undefined && <TokenParts title="ID token" token={account.idToken} now={now} />}
      {provider?.header.token === 'id_token' && <p>Sent to the API: the ID token (header.token "id_token").</p>}
      <h3>Scopes</h3>
      <p>Granted: {account.scopes.join(' ') || 'none stated'}</p>
      <p>Asked for: {pasted ? 'nothing (a pasted token)' : asked.join(' ') || 'none (no scope parameter)'}</p>
      {notGranted.length > 0 && <p class="problem">Not granted: {notGranted.join(' ')}</p>}
      {unasked.length > 0 && <p>Granted without asking: {unasked.join(' ')}</p>}
      <h3>Refresh token</h3>
      <p>{pasted ? PASTED_TOKEN_NOTE : refreshTokenLifetime(account, provider, now)}</p>
    </div>
  );
}

/** One token's decoded header and claims, or why it cannot be read ("opaque token"). */
function TokenParts({ title, token, now }: { title: string; token: string; now: number }) {
  // The clock re-renders the popup every second; the token changes far less often.
  const decoded = useMemo(() => decodeJwt(token), [token]);
  return (
    <div>
      <h3>{title}</h3>
      {decoded.kind === 'opaque' ? (
        <p>{decoded.reason}</p>
      ) : (
        <>
          {isUnsigned(decoded.header) && <p class="problem">Unsigned (alg "none" or no alg): anyone could have written it.</p>}
          <Fields label={`${title} header`} fields={decoded.header} now={now} />
          <Fields label={`${title} claims`} fields={decoded.claims} now={now} />
        </>
      )}
    </div>
  );
}

function Fields({ label, fields, now }: { label: string; fields: Record<string, unknown>; now: number }) {
  return (
    <dl aria-label={label} class="claims">
      {Object.entries(fields).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt> <dd>{describeClaim(name, value, now)}</dd>
        </div>
      ))}
    </dl>
  );
}

function refreshTokenLifetime(account: Account, provider: Provider | undefined, now: number): string {
  if (account.refreshToken === undefined) return 'None: renewal signs in again (silently when the provider remembers your consent).';
  if (account.refreshExpiresAt === undefined) return 'Lifetime unknown: the provider does not say (refreshTokenTtl).';
  const lifetime = provider?.refreshTokenTtl === undefined ? '' : `Lives ${formatDuration(provider.refreshTokenTtl * 1000)}; `;
  return `${lifetime}ends ${describeTime(account.refreshExpiresAt, now)}.`;
}
