/**
 * @module detect/sigma/correlation/field-value
 * How a field value read from a matched event becomes something a correlation can group by,
 * count distinctly or aggregate numerically (Sigma correlation rules specification v2.1.0,
 * "Grouping", "Value Count", "Value Sum", "Value Average", "Value Percentile").
 *
 * - A group-by or value_count value is a string. `undefined` and `null` are absent: query
 *   backends drop events whose `stats … by` / `terms` field is missing and `COUNT(DISTINCT f)`
 *   ignores NULL, so the engine does the same rather than lumping unrelated events together under
 *   an empty group. A one-element array is its element (ECS keeps some scalars as arrays); an
 *   empty array is absent; anything else is its JSON text.
 * - A value_sum / value_avg / value_percentile value is a finite number, or a string that is
 *   exactly one (log fields are often numeric text). Anything else is ignored (the spec asks for
 *   "a number field").
 */

/** The canonical string of a field value, or undefined when the value is absent. */
export function canonicalFieldValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return undefined;
    default:
      break;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.length === 1) return canonicalFieldValue(value[0]);
  }
  try {
    return JSON.stringify(value);
  } catch {
    // A cyclic or otherwise unserialisable value cannot be compared with other events' values.
    return undefined;
  }
}

/** The numeric value of a field, or undefined when it is not a finite number. */
export function numericFieldValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    if (value.length === 0 || value.trim() !== value) return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  if (Array.isArray(value) && value.length === 1) return numericFieldValue(value[0]);
  return undefined;
}

/**
 * The key of a group in its correlation's group map. One group-by field keys by its value as is;
 * several are length-prefixed so that no choice of values can make two groups collide.
 */
export function groupKey(values: readonly string[]): string {
  if (values.length === 1) return values[0] ?? '';
  let key = '';
  for (const value of values) key += `${value.length}:${value}`;
  return key;
}
