// The console's Headers field: one "Name: value" a line. Pure.

/**
 * The headers typed in the Headers field, in order; blank lines are skipped. A line without a
 * colon, or a name or value HTTP does not allow (checked by the platform's own `Headers`), is named
 * by its number.
 */
export function parseHeaderLines(text: string): { headers: [string, string][] } | { error: string } {
  const headers: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    const value = colon < 0 ? '' : line.slice(colon + 1).trim();
    const where = `Headers, line ${index + 1}`;
    if (name === '') return { error: `${where}: write each header as "Name: value", such as "Accept: application/json".` };
    try {
      new Headers().append(name, value);
    } catch {
      return {
        error: `${where}: ${JSON.stringify(name)} is not a header HTTP allows (a name of letters, digits and "-", a value without control characters).`,
      };
    }
    headers.push([name, value]);
  }
  return { headers };
}

/** The Headers field's text for `headers`: what parseHeaderLines reads back. */
export function headerLines(headers: readonly (readonly [string, string])[]): string {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}
