/**
 * Canonical JSON: object keys sorted at every depth, `undefined` members dropped, arrays kept in
 * order. Two requests that mean the same produce the same bytes, whatever order their fields
 * were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortDeep(member);
    }
    return sorted;
  }
  return value;
}
