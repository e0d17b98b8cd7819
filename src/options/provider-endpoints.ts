// What Import and Save provider ask host access for: options page only, since it parses Provider
// JSON with the whole validator, which the popup should not load.
import { isAllowedEndpointText } from '../providers/endpoint-url';
import { needsDiscovery } from '../providers/from-metadata';
import { isPlainObject, validateProvider } from '../providers/validate-provider';
import { providerEndpoints } from '../ui/permissions';

/**
 * The token endpoints of the providers in a Provider JSON text, and the issuer of each provider
 * whose endpoints Import discovers, for asking host access from the Import click (a tab, where
 * the prompt shows plainly) rather than later from the popup. Each provider counts on its own; one
 * that does not validate asks for nothing: the import itself then names the bad field.
 */
export function providerEndpointsIn(providerJson: string): string[] {
  let list: unknown;
  try {
    const document: unknown = JSON.parse(providerJson);
    list = isPlainObject(document) ? document['providers'] : undefined;
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const endpoints = list.flatMap((item: unknown) => {
    // A bad issuer asks for nothing: the import names it.
    if (needsDiscovery(item)) return isAllowedEndpointText(item.issuer) ? [item.issuer] : [];
    try {
      return providerEndpoints(validateProvider(item));
    } catch {
      return [];
    }
  });
  return [...new Set(endpoints)];
}
