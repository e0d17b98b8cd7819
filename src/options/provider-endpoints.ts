// What Import and Save provider ask host access for: options page only, since it parses Provider
// JSON with the whole validator, which the popup should not load.
import { parseProviderJson } from '../providers/provider';
import { providerEndpoints } from '../ui/permissions';

/**
 * The token endpoints of the providers in a Provider JSON text, for asking host access from the
 * Import click (a tab, where the prompt shows plainly) rather than later from the popup. A text
 * that does not parse asks for nothing: the import itself then names the bad field.
 */
export function providerEndpointsIn(providerJson: string): string[] {
  try {
    return [...new Set(parseProviderJson(providerJson).flatMap(providerEndpoints))];
  } catch {
    return [];
  }
}
