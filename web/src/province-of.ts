/**
 * @module web/province-of
 * Which provincial unit an organisation belongs to (itself or its nearest province ancestor), as a
 * map tile code; and which tiles a user's scope covers.
 */
import type { Organization } from './api-types.js';
import { tileOf } from './widgets/vietnam-tiles.js';

export function provinceTileOf(orgId: string, orgs: ReadonlyMap<string, Organization>): string | undefined {
  let org = orgs.get(orgId);
  for (let depth = 0; org && depth < 16; depth++) {
    if (org.kind === 'province') return tileOf(org)?.code;
    org = org.parentId === null ? undefined : orgs.get(org.parentId);
  }
  return undefined;
}

/** Tiles of the provinces in scope; null when the scope is the whole country (the centre). */
export function tilesInScope(orgs: ReadonlyMap<string, Organization>, centre: boolean): ReadonlySet<string> | null {
  if (centre) return null;
  const codes = new Set<string>();
  for (const org of orgs.values()) {
    const code = provinceTileOf(org.id, orgs);
    if (code) codes.add(code);
  }
  return codes;
}
