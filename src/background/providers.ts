import { mergeProviders, parseProviderJson, ProviderJsonError } from '../providers/provider';
import { UserFacingError } from '../messages';
import { updateState } from '../storage/store';

/** Imports a provider JSON document: all of it, or (on the first bad field) nothing. */
export async function importProviders(json: string): Promise<{ added: string[]; changed: string[] }> {
  let imported;
  try {
    imported = parseProviderJson(json);
  } catch (error) {
    if (error instanceof ProviderJsonError) throw new UserFacingError(`${error.message}. Nothing was imported.`);
    throw error;
  }
  return updateState((state) => {
    const { providers, added, changed } = mergeProviders(state.providers, imported);
    return { state: { ...state, providers }, result: { added, changed } };
  });
}
