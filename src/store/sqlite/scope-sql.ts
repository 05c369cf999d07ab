/**
 * @module store/sqlite/scope-sql
 * The scope filter every query carries. The member ids travel as one JSON parameter read with
 * `json_each`, so a scope of any size binds as a single value and the statement text stays the same
 * (and cached) whatever the scope. The JSON text is memoised per `Scope` object: a request's scope
 * is used by several queries.
 */
import type { Scope } from '../../core/scope.js';

const memberJson = new WeakMap<Scope, string>();

/** JSON array of the scope's organisation ids; null when the scope is unrestricted. */
export function scopeJson(scope: Scope): string | null {
  if (scope.unrestricted) return null;
  let json = memberJson.get(scope);
  if (json === undefined) {
    json = JSON.stringify(scope.orgIds() ?? []);
    memberJson.set(scope, json);
  }
  return json;
}

/**
 * The predicate for fixed statements that serve every scope, with the named parameter `@scope`
 * bound to `scopeJson(scope)` (NULL = unrestricted). Used on small tables (orgs, users, sensors)
 * where one statement for both cases is simpler than two.
 */
export function scopePredicate(column: string): string {
  return `(@scope IS NULL OR ${column} IN (SELECT value FROM json_each(@scope)))`;
}

/** The predicate for dynamically built queries: only present when the scope is restricted. */
export function scopeClause(scope: Scope, column: string, params: unknown[]): string | null {
  const json = scopeJson(scope);
  if (json === null) return null;
  params.push(json);
  return `${column} IN (SELECT value FROM json_each(?))`;
}
