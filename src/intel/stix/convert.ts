/**
 * @module intel/stix/convert
 * STIX 2.1 objects ⇄ Vigil's indicator model (`intel/model`).
 * Import: a STIX indicator (§4.7) whose pattern is of the simple form (`simple`) becomes one Vigil
 * indicator per value, keeping its id as `stixId`; its TLP is the strictest TLP among its
 * `object_marking_refs` (TLP 2.0 or §7.2.1.4 TLP 1.0, `tlp`), its kill chain and ATT&CK ids come
 * from `kill_chain_phases` (§2.11) and ATT&CK external references (§2.5), its validity from
 * `valid_from`/`valid_until`. A pattern that is not simple gives no indicator: it is evaluated by
 * `evaluate` instead. STIX leaves confidence unspecified when absent (§3.2); the caller's default
 * applies then, as does its default TLP for unmarked objects (AMBER unless told otherwise: an
 * unmarked object is not known to be shareable).
 * Export: a Vigil indicator becomes a STIX indicator created by Vigil's identity, marked with the
 * published TLP 2.0 marking, with a deterministic id (UUIDv5 of type and value in Vigil's namespace,
 * `ids`), so exporting the same indicator again yields the same object. Vigil never re-publishes an
 * imported indicator under its original id: only the object creator may issue versions of an
 * object, and a republisher that changes it must mint a new id (§3.5, §3.6).
 */
import { VigilError } from '../../core/errors.js';
import type { Indicator, Sighting, Tlp } from '../model.js';
import { newBundleId, vigilObjectId } from './ids.js';
import { ATTACK_ID_RE, isAttackSource } from './objects-common.js';
import type { StixIndicator, StixObject } from './objects.js';
import { parsePattern } from './pattern.js';
import { patternFor, simpleIndicators } from './simple.js';
import { compareInstants, instantToMillis, parseStixTimestamp, toStixTimestamp } from './timestamp.js';
import { TLP2_MARKINGS, tlp2MarkingDefinition, tlpFromMarkingDefinition, tlpFromMarkingRef, tlpOfMarkings } from './tlp.js';

export type IndicatorDraft = Omit<Indicator, 'id' | 'ownerOrgId' | 'sharedWith' | 'createdAt' | 'updatedAt'>;

export interface FromStixOptions {
  /** Where it came from (`taxii:alliance-a/collection-x`); default `stix:<creator's name or id>`. */
  source?: string;
  /** Other objects of the same bundle, to resolve marking definitions and the creator identity. */
  related?: readonly StixObject[];
  /** The TLP of an indicator with no TLP marking (default `amber`). */
  defaultTlp?: Tlp;
  /** The confidence of an indicator without `confidence` (default 50). */
  defaultConfidence?: number;
}

/** The Vigil indicators a STIX indicator carries; empty when its pattern needs the evaluator. */
export function indicatorsFromStix(stix: StixIndicator, options: FromStixOptions = {}): IndicatorDraft[] {
  if (stix.pattern_type !== 'stix') return [];
  const parsed = parsePattern(stix.pattern);
  const simple = parsed.ok ? simpleIndicators(parsed.pattern) : null;
  if (!simple) return [];
  const related = new Map((options.related ?? []).map((o) => [o.id, o]));
  const markingLevels = new Map<string, Tlp>();
  for (const o of related.values()) {
    if (o.type !== 'marking-definition') continue;
    const level = tlpFromMarkingDefinition(o);
    if (level) markingLevels.set(o.id, level);
  }
  const creator = stix.created_by_ref ? related.get(stix.created_by_ref) : undefined;
  const creatorName = typeof creator?.name === 'string' ? creator.name : stix.created_by_ref;
  const validFrom = millisecondTimestamp(stix.valid_from);
  const modified = millisecondTimestamp(stix.modified);
  const base = {
    source: options.source ?? `stix:${creatorName ?? 'unknown'}`,
    confidence: stix.confidence ?? options.defaultConfidence ?? 50,
    firstSeen: validFrom,
    lastSeen: later(validFrom, modified),
    validUntil: stix.valid_until === undefined ? null : millisecondTimestamp(stix.valid_until),
    killChain: (stix.kill_chain_phases ?? []).map((p) => `${p.kill_chain_name}:${p.phase_name}`),
    attack: unique((stix.external_references ?? []).filter((r) => isAttackSource(r.source_name) && r.external_id !== undefined && ATTACK_ID_RE.test(r.external_id)).map((r) => r.external_id as string)),
    labels: unique([...(stix.labels ?? []), ...(stix.indicator_types ?? [])]),
    description: stix.description ?? stix.name ?? null,
    tlp: tlpOfMarkings(stix.object_marking_refs, markingLevels) ?? options.defaultTlp ?? 'amber',
    stixId: stix.id,
    revoked: stix.revoked ?? false,
  };
  return simple.map(({ type, value }) => ({ type, value, ...base }));
}

export interface ToStixOptions {
  /** The `identity--…` id of the Vigil centre that publishes the indicator (§3.5 object creator). */
  identityId: string;
}

/** A Vigil indicator as a STIX 2.1 indicator (§4.7) marked with its TLP 2.0 marking. */
export function indicatorToStix(indicator: Indicator, options: ToStixOptions): StixObject {
  const validFrom = toStixTimestamp(indicator.firstSeen);
  const validUntil = indicator.validUntil === null ? undefined : toStixTimestamp(indicator.validUntil);
  if (validUntil !== undefined && Date.parse(validUntil) <= Date.parse(validFrom)) {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `indicator ${indicator.id}: validUntil ${validUntil} is not after firstSeen ${validFrom} (STIX 2.1 §4.7)` }, { field: 'validUntil' });
  }
  const created = toStixTimestamp(indicator.createdAt);
  const killChain = indicator.killChain.flatMap((entry) => {
    const colon = entry.indexOf(':');
    return colon > 0 && colon < entry.length - 1 ? [{ kill_chain_name: entry.slice(0, colon), phase_name: entry.slice(colon + 1) }] : [];
  });
  const attack = indicator.attack.filter((id) => ATTACK_ID_RE.test(id)).map((id) => ({ source_name: 'mitre-attack', external_id: id, url: attackUrl(id) }));
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: vigilObjectId('indicator', `${indicator.type}|${indicator.value}`),
    created_by_ref: options.identityId,
    created,
    modified: later(created, toStixTimestamp(indicator.updatedAt)),
    name: `${indicator.type} ${indicator.value}`,
    ...(indicator.description !== null ? { description: indicator.description } : {}),
    pattern: patternFor(indicator.type, indicator.value),
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: validFrom,
    ...(validUntil !== undefined ? { valid_until: validUntil } : {}),
    ...(killChain.length > 0 ? { kill_chain_phases: killChain } : {}),
    ...(attack.length > 0 ? { external_references: attack } : {}),
    ...(indicator.labels.length > 0 ? { labels: indicator.labels } : {}),
    confidence: indicator.confidence,
    ...(indicator.revoked ? { revoked: true } : {}),
    object_marking_refs: [TLP2_MARKINGS[indicator.tlp].id],
  };
}

export interface SightingToStixOptions {
  /** The `identity--…` id of the Vigil centre (the sighting's creator). */
  identityId: string;
  /** The STIX id of the indicator that was sighted. */
  indicatorStixId: string;
  /** The `identity--…` of the organisation where it was seen, when it may be named. */
  whereSightedRef?: string;
  tlp?: Tlp;
}

/**
 * A Vigil sighting as a STIX sighting (§5.2). Its id is deterministic (indicator, organisation,
 * event) and `created` is the event time, so exporting it twice gives the same object version.
 */
export function sightingToStix(sighting: Sighting, options: SightingToStixOptions): StixObject {
  const at = toStixTimestamp(sighting.eventTime);
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: vigilObjectId('sighting', `${sighting.indicatorId}|${sighting.orgId}|${sighting.eventSeq}`),
    created_by_ref: options.identityId,
    created: at,
    modified: at,
    sighting_of_ref: options.indicatorStixId,
    first_seen: at,
    last_seen: at,
    count: 1,
    description: `Matched on ${sighting.field} = ${sighting.value}`,
    ...(options.whereSightedRef ? { where_sighted_refs: [options.whereSightedRef] } : {}),
    ...(options.tlp ? { object_marking_refs: [TLP2_MARKINGS[options.tlp].id] } : {}),
  };
}

/**
 * A STIX bundle (§8) of the objects. The TLP 2.0 marking definitions they reference are added
 * when missing: TLP 2.0 is an extension, not predefined by STIX, so a consumer may not know them.
 */
export function bundle(objects: readonly StixObject[]): { type: 'bundle'; id: string; objects: StixObject[] } {
  const present = new Set(objects.map((o) => o.id));
  const markings: StixObject[] = [];
  for (const o of objects) {
    for (const ref of Array.isArray(o.object_marking_refs) ? o.object_marking_refs : []) {
      const level = typeof ref === 'string' ? tlpFromMarkingRef(ref) : null;
      if (level && TLP2_MARKINGS[level].id === ref && !present.has(ref)) {
        present.add(ref);
        markings.push(tlp2MarkingDefinition(level));
      }
    }
  }
  return { type: 'bundle', id: newBundleId(), objects: [...markings, ...objects] };
}

/** ATT&CK's page for an id (techniques use `T1059/001/` for sub-technique `T1059.001`). */
function attackUrl(id: string): string {
  const kinds: Readonly<Record<string, string>> = { TA: 'tactics', T: 'techniques', S: 'software', G: 'groups', M: 'mitigations', C: 'campaigns', DS: 'datasources' };
  const prefix = /^[A-Z]+/.exec(id)?.[0] ?? '';
  return `https://attack.mitre.org/${kinds[prefix] ?? 'techniques'}/${id.replace('.', '/')}/`;
}

/** A validated STIX timestamp (any precision, leap seconds included) in the model's millisecond form. */
function millisecondTimestamp(stixTimestamp: string): string {
  const instant = parseStixTimestamp(stixTimestamp);
  if (!instant) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `'${stixTimestamp}' is not a STIX timestamp (STIX 2.1 §2.16)` });
  return toStixTimestamp(Math.floor(instantToMillis(instant)));
}

function later(a: string, b: string): string {
  const [x, y] = [parseStixTimestamp(a), parseStixTimestamp(b)];
  return x && y && compareInstants(y, x) > 0 ? b : a;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
