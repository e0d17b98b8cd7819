// A preset: a well-known provider written down once from its own documentation (README: Presets),
// and the one step that turns it, with what the user enters, into Provider JSON. Pure.
import { isAllowedEndpointText } from './endpoint-url';
import { CONTROL_CHARS } from './validate-provider';

/** A value the user enters for a preset, put wherever its placeholder `{key}` is written. */
export interface PresetInput {
  /** The placeholder's name in the preset's strings: `tenant` for `{tenant}`. */
  key: string;
  /** The field's label on the options page: "Tenant". */
  label: string;
  /**
   * What may be entered: `host`, a host name with an optional port ("dev-123.okta.com"); `url`, an
   * https base URL (http only on loopback), put in without its trailing "/"; `issuer`, an issuer
   * URL, put in exactly as entered (issuers are compared character for character, and some end in
   * "/"); `segment`, one path segment or tenant name (letters, digits, ".", "_", "~", "-"); `text`,
   * a parameter value kept as entered (printable, at most 200 characters), for `extraParams` and
   * `tokenParams` only, never in a URL (an identifier such as Auth0's audience need not be a URL).
   */
  kind: 'host' | 'url' | 'issuer' | 'segment' | 'text';
  /** Shown as the field's placeholder. */
  example: string;
  /** Used when the field is left empty; absent: the field is required. */
  default?: string;
}

export interface Preset {
  /** The id the provider is added under (the options page appends a number when it is taken). */
  id: string;
  /** The provider's name, as listed under Add from preset. */
  name: string;
  /** The provider's own documentation this preset is written from. */
  docs: string;
  inputs: readonly PresetInput[];
  /** Whether the options page asks for a client secret: always, as an option, or never (public clients). */
  clientSecret: 'required' | 'optional' | 'none';
  /** What trips people up at this provider, one sentence each: shown with the preset, listed in the README. */
  quirks: readonly string[];
  /** Provider JSON without `id`, `name`, `clientId` and `clientSecret`; its strings may hold `{key}` placeholders. */
  provider: Readonly<Record<string, unknown>>;
}

/** A value that cannot go into a preset; the message names the field by its label. */
export class PresetError extends Error {
  override readonly name = 'PresetError';
}

/** What the user entered for a preset. */
export interface PresetEntry {
  /** Input key → what was entered (empty or absent: the input's default). */
  values: Readonly<Record<string, string>>;
  clientId: string;
  /** Empty or absent: none (a public client). */
  clientSecret?: string;
}

const MAX_TEXT_LENGTH = 200;
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
/** Segments a URL resolves as "this folder" and "the parent": they would move the path, not name a tenant. */
const DOT_SEGMENTS = new Set(['.', '..']);
const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/**
 * The Provider JSON object (to validate and import like any other) for `preset` under `id`, with
 * every placeholder filled from `entry`. Throws a PresetError naming the first bad input, or a
 * placeholder the preset has no input for.
 */
export function providerFromPreset(preset: Preset, entry: PresetEntry, id: string): Record<string, unknown> {
  const values = new Map<string, string>();
  for (const input of preset.inputs) values.set(input.key, readInput(input, entry.values[input.key]?.trim() || input.default));
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (_, key: string) => {
        const filled = values.get(key);
        if (filled === undefined) throw new PresetError(`The ${preset.name} preset has no field for {${key}}`);
        return filled;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  const clientId = entry.clientId.trim();
  if (clientId === '') throw new PresetError(`Client ID: enter the client ID ${preset.name} gave your app`);
  const secret = preset.clientSecret === 'none' ? '' : (entry.clientSecret ?? '');
  if (preset.clientSecret === 'required' && secret === '') throw new PresetError(`Client secret: ${preset.name} needs the client's secret`);
  return {
    id,
    // A second provider from one preset gets its id in its name, so the popup's Connect buttons differ.
    name: id === preset.id ? preset.name : `${preset.name} (${id})`,
    ...(fill(preset.provider) as Record<string, unknown>),
    clientId,
    ...(secret !== '' && { clientSecret: secret }),
  };
}

/** The id a provider added from `preset` gets: the preset's own, or the first of id-2, id-3… not in `takenIds`. */
export function presetProviderId(preset: Preset, takenIds: readonly string[]): string {
  let id = preset.id;
  for (let n = 2; takenIds.includes(id); n++) id = `${preset.id}-${n}`;
  return id;
}

/** The entered value of `input`, checked for its kind, as it goes into the preset's strings. */
function readInput(input: PresetInput, value: string | undefined): string {
  if (value === undefined || value === '') throw new PresetError(`${input.label}: enter a value, like ${input.example}`);
  switch (input.kind) {
    case 'segment':
      if (!SEGMENT.test(value) || DOT_SEGMENTS.has(value)) {
        throw new PresetError(
          `${input.label}: enter one name of letters, digits, ".", "_", "~" or "-", not "." or ".." (like ${input.example})`,
        );
      }
      return value;
    case 'host': {
      const url = URL.canParse(`https://${value}`) ? new URL(`https://${value}`) : undefined;
      if (url === undefined || url.host !== value.toLowerCase() || url.pathname !== '/' || value.includes('@')) {
        throw new PresetError(`${input.label}: enter a host name only, like ${input.example}`);
      }
      return url.host;
    }
    case 'text':
      if (value.length > MAX_TEXT_LENGTH || CONTROL_CHARS.test(value)) {
        throw new PresetError(`${input.label}: enter at most ${MAX_TEXT_LENGTH} characters on one line, like ${input.example}`);
      }
      return value;
    case 'url':
    case 'issuer': {
      // Checked on the text: `new URL` drops an empty "?" or "#", which would still end up in the preset's URLs.
      if (!isAllowedEndpointText(value) || /[?#@\s]/.test(value)) {
        throw new PresetError(
          `${input.label}: enter an https URL (http only on this machine) without query, fragment or user name, like ${input.example}`,
        );
      }
      return input.kind === 'issuer' ? value : new URL(value).href.replace(/\/+$/, '');
    }
  }
}
