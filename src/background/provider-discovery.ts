// Import's discovery step: providers given by `issuer` without endpoints get them from the
// issuer's metadata before the document is validated (README: Provider JSON).
import { discoverMetadata, DiscoveryError } from '../oauth/discovery';
import { fillFromMetadata, needsDiscovery } from '../providers/from-metadata';
import { isPlainObject } from '../providers/validate-provider';
import { UserFacingError } from '../messages';

export interface DiscoveredDocument {
  /** The document with the endpoints filled (the same text when nothing needed discovery). */
  json: string;
  /** Provider id → the metadata URL its endpoints came from. */
  discovered: Record<string, string>;
}

/**
 * Fills, in a Provider JSON text, every provider that needs discovery (needsDiscovery). A text
 * that is not a `{ "providers": [ … ] }` document is returned as it is, for validation to name
 * what is wrong. Any discovery failure refuses the whole import (UserFacingError).
 */
export async function discoverMissingEndpoints(json: string): Promise<DiscoveredDocument> {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    return { json, discovered: {} };
  }
  const list = isPlainObject(document) ? document['providers'] : undefined;
  if (!isPlainObject(document) || !Array.isArray(list) || !list.some(needsDiscovery)) return { json, discovered: {} };
  const discovered: Record<string, string> = {};
  const providers: unknown[] = [];
  for (const [index, item] of list.entries()) {
    if (!needsDiscovery(item)) {
      providers.push(item);
      continue;
    }
    try {
      const metadata = await discoverMetadata(item.issuer);
      providers.push(fillFromMetadata(item, metadata));
      discovered[String(item['id'])] = metadata.metadataUrl;
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      throw new UserFacingError(`providers[${index}].issuer: ${error.message}. Nothing was imported.`);
    }
  }
  return { json: JSON.stringify({ ...document, providers }), discovered };
}
