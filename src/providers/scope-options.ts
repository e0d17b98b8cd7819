// The access a Connect asks for when a provider offers a choice (README "Provider JSON", `scopeOptions`).
import type { Provider } from './model';

/**
 * The scopes Connect asks for: with `scopeOptions`, those of the option chosen by its index as
 * text ("0", the first, when none is chosen); without, the provider's `scopes`, and no choice may
 * be given. Undefined when the choice is not one of the provider's options.
 */
export function scopesOfChoice(provider: Pick<Provider, 'scopes' | 'scopeOptions'>, choice: string | undefined): string[] | undefined {
  const options = provider.scopeOptions;
  if (options === undefined) return choice === undefined ? provider.scopes : undefined;
  if (choice === undefined) return options[0]?.scopes;
  // Digits only: "1.0", " 1" or "length" are no index.
  if (!/^(0|[1-9][0-9]?)$/.test(choice)) return undefined;
  return options[Number(choice)]?.scopes;
}
