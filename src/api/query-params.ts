/**
 * @module api/query-params
 * Query-string shapes shared by the read routes: time bounds (ISO 8601 or epoch milliseconds),
 * page size, and the optional organisation that narrows the caller's scope.
 */
import { z } from 'zod';
import type { Scope } from '../core/scope.js';
import type { Directory } from '../orgs/directory.js';

/** ISO 8601 or epoch milliseconds → epoch milliseconds. */
export const instant = z
  .string()
  .transform((value, issue) => {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(ms)) {
      issue.addIssue({ code: 'custom', message: `${value} is not an ISO 8601 time or epoch milliseconds` });
      return z.NEVER;
    }
    return ms;
  });

export const pageLimit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** Several values of one parameter arrive as an array, one as a string. */
export const repeated = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** The caller's scope, narrowed to `org`'s subtree when given (which must lie inside it). */
export function scopeFor(directory: Directory, scope: Scope, org: string | undefined): Scope {
  return org === undefined ? scope : scope.narrow(org, directory.tree());
}
