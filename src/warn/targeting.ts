/**
 * @module warn/targeting
 * Resolves a warning's targets (warn/warning-model `WarningTargets`) against the organisation tree
 * and the systems inventory, exactly: explicit organisations, plus every organisation inside the
 * issuer's reach that matches all the given selectors. Pure: the caller reads the organisations and
 * systems once (the same at preview and at issue, so the analyst sees who will receive it).
 */
import { VigilError } from '../core/errors.js';
import type { Organization } from '../core/model.js';
import type { InformationSystem } from '../inventory/model.js';
import { mayBeAtOrBelow } from '../inventory/software.js';
import type { WarningTargets } from './warning-model.js';

export interface ResolvedRecipient {
  orgId: string;
  reasons: string[];
  systemIds: string[];
}

export interface TargetingInput {
  targets: WarningTargets;
  orgs: readonly Organization[];
  systems: readonly InformationSystem[];
  /** Organisations the issuer may address (its subtree); null: all. */
  reach: ReadonlySet<string> | null;
}

const lower = (s: string): string => s.trim().toLowerCase();

/** The recipients, ordered by organisation code; throws VIGIL_ERR_VALIDATION for an unknown or unreachable organisation. */
export function resolveTargets(input: TargetingInput): ResolvedRecipient[] {
  const { anyOf, ...own } = input.targets;
  if (anyOf === undefined || anyOf.length === 0) return resolveAll({ ...input, targets: own });
  const merged = new Map<string, ResolvedRecipient>();
  for (const alternative of [own, ...anyOf.map((t) => ({ ...t, ...(own.exclude ? { exclude: own.exclude } : {}) }))]) {
    const hasAny = Object.entries(alternative).some(([k, v]) => k !== 'exclude' && (Array.isArray(v) ? v.length > 0 : v !== undefined));
    if (!hasAny) continue;
    for (const r of resolveAll({ ...input, targets: alternative })) {
      const m = merged.get(r.orgId);
      if (!m) merged.set(r.orgId, { orgId: r.orgId, reasons: [...r.reasons], systemIds: [...r.systemIds] });
      else {
        for (const reason of r.reasons) if (!m.reasons.includes(reason)) m.reasons.push(reason);
        for (const id of r.systemIds) if (!m.systemIds.includes(id)) m.systemIds.push(id);
      }
    }
  }
  return sorted(merged, input.orgs);
}

function resolveAll(input: TargetingInput): ResolvedRecipient[] {
  const { targets, orgs, systems, reach } = input;
  const byRef = new Map<string, Organization>();
  for (const org of orgs) {
    byRef.set(org.id, org);
    byRef.set(lower(org.code), org);
  }
  const find = (ref: string, field: string): Organization => {
    const org = byRef.get(ref) ?? byRef.get(lower(ref));
    if (!org || (reach !== null && !reach.has(org.id))) {
      throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `${field}: organisation ${ref} is unknown or outside your reach` }, { field });
    }
    return org;
  };
  const out = new Map<string, ResolvedRecipient>();
  const add = (orgId: string, reason: string, systemIds: readonly string[] = []): void => {
    let r = out.get(orgId);
    if (!r) {
      r = { orgId, reasons: [], systemIds: [] };
      out.set(orgId, r);
    }
    if (!r.reasons.includes(reason)) r.reasons.push(reason);
    for (const id of systemIds) if (!r.systemIds.includes(id)) r.systemIds.push(id);
  };

  for (const ref of targets.orgs ?? []) add(find(ref, 'targets.orgs').id, 'org');

  const selectorsGiven =
    (targets.sectors?.length ?? 0) > 0 || (targets.regions?.length ?? 0) > 0 || (targets.subtrees?.length ?? 0) > 0 ||
    (targets.kinds?.length ?? 0) > 0 || (targets.software?.length ?? 0) > 0 || targets.minSecurityLevel !== undefined;
  if (!selectorsGiven) return sorted(out, orgs);

  const excluded = new Set((targets.exclude ?? []).map((ref) => find(ref, 'targets.exclude').id));
  const sectors = targets.sectors && targets.sectors.length > 0 ? new Set(targets.sectors.map(lower)) : null;
  const regions = targets.regions && targets.regions.length > 0 ? new Set(targets.regions.map(lower)) : null;
  const kinds = targets.kinds && targets.kinds.length > 0 ? new Set<string>(targets.kinds) : null;
  let within: Set<string> | null = null;
  if (targets.subtrees && targets.subtrees.length > 0) {
    const children = new Map<string, string[]>();
    for (const org of orgs) if (org.parentId !== null) children.set(org.parentId, [...(children.get(org.parentId) ?? []), org.id]);
    within = new Set<string>();
    for (const ref of targets.subtrees) {
      const stack = [find(ref, 'targets.subtrees').id];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (within.has(id)) continue;
        within.add(id);
        stack.push(...(children.get(id) ?? []));
      }
    }
  }
  // Systems that satisfy the software and level selectors, by organisation.
  const perSystem = (targets.software?.length ?? 0) > 0 || targets.minSecurityLevel !== undefined;
  const systemsByOrg = new Map<string, { ids: string[]; reasons: string[] }>();
  if (perSystem) {
    for (const system of systems) {
      if (targets.minSecurityLevel !== undefined && system.securityLevel < targets.minSecurityLevel) continue;
      const reasons: string[] = [];
      if (targets.software && targets.software.length > 0) {
        for (const selector of targets.software) {
          const product = lower(selector.product);
          const vendor = selector.vendor === undefined ? null : lower(selector.vendor);
          const hit = system.software.find(
            (s) => s.product === product && (vendor === null || s.vendor === vendor) && (selector.maxVersion === undefined || mayBeAtOrBelow(s, selector.maxVersion).exposed),
          );
          if (hit) reasons.push(`software:${vendor ?? hit.vendor}/${product}${selector.maxVersion ? `<=${selector.maxVersion}` : ''}`);
        }
        if (reasons.length === 0) continue;
      }
      if (targets.minSecurityLevel !== undefined) reasons.push(`level>=${targets.minSecurityLevel}`);
      const entry = systemsByOrg.get(system.orgId) ?? { ids: [], reasons: [] };
      entry.ids.push(system.id);
      for (const r of reasons) if (!entry.reasons.includes(r)) entry.reasons.push(r);
      systemsByOrg.set(system.orgId, entry);
    }
  }
  for (const org of orgs) {
    if (org.kind === 'alliance' || excluded.has(org.id)) continue;
    if (reach !== null && !reach.has(org.id)) continue;
    const reasons: string[] = [];
    if (sectors) {
      if (org.sector === null || !sectors.has(lower(org.sector))) continue;
      reasons.push(`sector:${org.sector}`);
    }
    if (regions) {
      if (org.region === null || !regions.has(lower(org.region))) continue;
      reasons.push(`region:${org.region}`);
    }
    if (kinds) {
      if (!kinds.has(org.kind)) continue;
      reasons.push(`kind:${org.kind}`);
    }
    if (within) {
      if (!within.has(org.id)) continue;
      reasons.push('subtree');
    }
    let systemIds: string[] = [];
    if (perSystem) {
      const entry = systemsByOrg.get(org.id);
      if (!entry) continue;
      systemIds = entry.ids;
      reasons.push(...entry.reasons);
    }
    for (const reason of reasons) add(org.id, reason, systemIds);
  }
  return sorted(out, orgs);
}

function sorted(out: Map<string, ResolvedRecipient>, orgs: readonly Organization[]): ResolvedRecipient[] {
  const code = new Map(orgs.map((o) => [o.id, o.code]));
  return [...out.values()].sort((a, b) => (code.get(a.orgId) ?? a.orgId).localeCompare(code.get(b.orgId) ?? b.orgId));
}
