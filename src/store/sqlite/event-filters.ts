/**
 * @module store/sqlite/event-filters
 * Field filters and text search of `events.search` as SQL over a day table. Fields that have a
 * column use it (and its index); any other ECS field is read from the JSON document, where
 * `json_each` yields every element of an array and the value itself for a scalar, so "any element"
 * and "equals" are one predicate.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { EventFieldFilter } from '../store.js';

/** ECS fields stored in their own column. */
const columnOf: Readonly<Record<string, string>> = {
  'event.dataset': 'dataset',
  'event.outcome': 'outcome',
  'source.ip': 'source_ip',
  'host.name': 'host_name',
  'user.name': 'user_name',
  'organization.id': 'org_id',
  'observer.id': 'sensor_id',
  'event.original': 'original',
};

const fieldPattern = /^[A-Za-z0-9_@][A-Za-z0-9_@-]*(\.[A-Za-z0-9_@][A-Za-z0-9_@-]*)*$/;

/** JSON text of a value as the filter compares it: true/false spelled out, numbers in decimal. */
const jsonValueAsText = "CASE type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(value AS TEXT) END";

/** Registers the SQL functions the filters use; called once per connection. */
export function registerEventFunctions(db: Database.Database): void {
  // SQLite's lower() folds ASCII only; Vietnamese text needs JavaScript's full Unicode case folding.
  db.function('vigil_icontains', { deterministic: true }, (haystack: unknown, needle: unknown) =>
    typeof haystack === 'string' && typeof needle === 'string' && haystack.toLowerCase().includes(needle) ? 1 : 0,
  );
}

function jsonPath(field: string): string {
  return '$' + field.split('.').map((segment) => `."${segment}"`).join('');
}

/** Appends the SQL conditions (ANDed by the caller) and their parameters. */
export function filterConditions(filters: readonly EventFieldFilter[] | undefined, text: string | undefined, conditions: string[], params: unknown[]): void {
  for (const filter of filters ?? []) {
    if (!fieldPattern.test(filter.field)) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `filter field ${JSON.stringify(filter.field)} is not a dotted ECS field name` }, { field: 'filters' });
    }
    const column = columnOf[filter.field];
    if (column !== undefined) {
      conditions.push(`${column} = ?`);
      params.push(filter.value);
    } else if (filter.field === 'event.category') {
      // The column holds the first category; further ones are only in the document. No index: a
      // category alone selects too much to help, and dashboards count categories from the rollups.
      conditions.push(`(category = ? OR EXISTS (SELECT 1 FROM json_each(doc, '$.event.category') WHERE ${jsonValueAsText} = ?))`);
      params.push(filter.value, filter.value);
    } else {
      conditions.push(`EXISTS (SELECT 1 FROM json_each(doc, ?) WHERE ${jsonValueAsText} = ?)`);
      params.push(jsonPath(filter.field), filter.value);
    }
  }
  if (text !== undefined && text !== '') {
    const needle = text.toLowerCase();
    // instr() takes the needle literally: no LIKE wildcards (% _) to escape, and ASCII folding in C.
    if (/^[\x00-\x7f]*$/.test(needle)) conditions.push('instr(lower(original), ?) > 0');
    else conditions.push('vigil_icontains(original, ?) = 1');
    params.push(needle);
  }
}
