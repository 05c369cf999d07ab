/**
 * @module intel/misp
 * MISP events (the MISP core format, draft-dulaunoy-misp-core-format-20, "misp-rfc") → Vigil
 * indicator drafts. An event (§2.2) carries attributes (§2.3), objects (§2.5) that group more
 * attributes, tags (§2.8) at event and attribute level, galaxies (§2.10) and sightings (§2.9).
 * Each attribute whose type names an observable Vigil matches becomes one draft (two for
 * `domain|ip`); everything else is counted by reason in `skipped`, never silently dropped.
 *
 * Decisions (each with the section that decides it):
 * - Only attributes with `to_ids` true are imported by default: §2.3.2.5 defines `to_ids` as "meant
 *   to be actionable"; the others are context (`includeNonIds` imports them too, labelled).
 * - A `deleted` attribute (§2.3.2.11, "revoked … exist merely to inform … of a revocation") is
 *   imported revoked, so a feed's revocation revokes the indicator held from it.
 * - TLP comes from `tlp:*` tags (MISP's tlp taxonomy; `white` is TLP 1.0 for CLEAR). The event's
 *   marking applies to every attribute; when an attribute has its own, the stricter of the two
 *   wins (an attribute cannot loosen its event). No marking: the caller's default (AMBER).
 * - Confidence: MISP has none; §2.2.1.6 `analysis` says how far the producer got and §2.2.1.5
 *   `threat_level_id` how serious they judge it. Base by analysis 0 initial 40, 1 ongoing 60,
 *   2 complete 80; threat level 1 high +10, 2 medium 0, 3 low −10, 4 undefined or missing −10.
 * - Times: `first_seen`/`last_seen` (§2.3.2.16–17) when given, else the attribute `timestamp`
 *   (§2.3.2.8), else the event `timestamp` (§2.2.1.8) and `date` (§2.2.1.7).
 * - Sightings (§2.9) of type 0 ("seen") and 3 (true positive) are returned per value with their
 *   count and latest date, for the caller to record; types 1 (false positive) and 2 (expiration)
 *   are counted. The sighting organisation is not kept: it is another MISP instance's org.
 */
import { stricter, parseTlp } from './tlp.js';
import type { IndicatorType, Tlp } from './model.js';
import { normaliseIndicator } from './normalise.js';
import type { IndicatorDraft } from './stix/convert.js';
import { ATTACK_ID_RE } from './stix/objects-common.js';

export interface MispImportOptions {
  /** Where it came from; default `misp:<Orgc name>`. */
  source?: string;
  /** TLP of an attribute of an event with no `tlp:` tag (default `amber`). */
  defaultTlp?: Tlp;
  /** Overrides the confidence derived from `analysis` and `threat_level_id`. */
  confidence?: number;
  /** Also import attributes with `to_ids` false (labelled `misp:non-ids`). */
  includeNonIds?: boolean;
}

/** External sightings of one value, aggregated (MISP core format §2.9). */
export interface MispSighting {
  type: IndicatorType;
  value: string;
  count: number;
  /** The latest `date_sighting`, ISO 8601. */
  dateSighting: string;
}

export interface ImportProblem {
  where: string;
  reason: string;
}

export interface MispImport {
  indicators: IndicatorDraft[];
  skipped: Record<string, number>;
  errors: ImportProblem[];
  sightings: MispSighting[];
}

/** At most this many labels per indicator (tags are free text and events carry dozens). */
export const MAX_LABELS = 20;
const MAX_LABEL_LENGTH = 128;
/** At most this many errors are kept per event; the rest are only counted. */
const MAX_ERRORS = 100;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
/** MISP writes booleans as JSON booleans (§2.3.2.5) but older exports as "0"/"1". */
const flag = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

/** The events of a MISP document: `{Event}`, a list of them, or a restSearch `{response: [...]}`. */
export function mispEventsOf(json: unknown): Json[] | null {
  if (isObject(json) && isObject(json['Event'])) return [json['Event']];
  const list = isObject(json) && Array.isArray(json['response']) ? json['response'] : json;
  if (!Array.isArray(list)) return null;
  const events = list.filter(isObject).map((e) => e['Event']).filter(isObject);
  return events.length > 0 || list.length === 0 ? events : null;
}

/** The indicators, skip counts, errors and sightings of one MISP event (the `Event` object). */
export function indicatorsFromMispEvent(event: Json, options: MispImportOptions = {}): MispImport {
  const out: MispImport = { indicators: [], skipped: {}, errors: [], sightings: [] };
  const eventUuid = text(event['uuid']) ?? '(no uuid)';
  const orgName = isObject(event['Orgc']) ? text(event['Orgc']['name']) : undefined;
  const source = options.source ?? `misp:${orgName ?? 'unknown'}`;
  const eventTags = tagNames(event['Tag']);
  for (const galaxy of objects(event['Galaxy'])) {
    for (const cluster of objects(galaxy['GalaxyCluster'])) {
      const name = text(cluster['tag_name']);
      if (name !== undefined && !eventTags.includes(name)) eventTags.push(name);
    }
  }
  const eventMarks = readTags(eventTags);
  const confidence = options.confidence ?? confidenceOf(event['analysis'], event['threat_level_id']);
  const eventSeconds = Number(text(event['timestamp']));
  const eventTime = Number.isFinite(eventSeconds) && eventSeconds > 0 ? new Date(eventSeconds * 1000).toISOString() : undefined;
  const eventDate = text(event['date']);
  const eventDay = eventDate !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(eventDate) && Number.isFinite(Date.parse(eventDate)) ? new Date(Date.parse(eventDate)).toISOString() : undefined;
  const info = text(event['info'])?.trim() || null;
  const byAttribute = new Map<string, { type: IndicatorType; value: string }[]>();

  const attributes: { attribute: Json; where: string; objectName?: string }[] = [];
  objects(event['Attribute']).forEach((attribute, i) => attributes.push({ attribute, where: `event ${eventUuid} Attribute[${i}]` }));
  objects(event['Object']).forEach((object, k) => {
    const objectName = text(object['name']);
    if (flag(object['deleted'])) return count(out, 'deleted-object', objects(object['Attribute']).length);
    objects(object['Attribute']).forEach((attribute, i) => attributes.push({ attribute, where: `event ${eventUuid} Object[${k}].Attribute[${i}]`, ...(objectName ? { objectName } : {}) }));
  });

  for (const { attribute, where, objectName } of attributes) {
    const type = text(attribute['type']) ?? '';
    const value = text(attribute['value']) ?? '';
    const uuid = text(attribute['uuid']);
    const toIds = flag(attribute['to_ids']);
    if (!toIds && !options.includeNonIds) {
      count(out, 'not-to-ids');
      continue;
    }
    const observables = observablesOf(type, value);
    if ('skip' in observables) {
      count(out, observables.skip);
      continue;
    }
    const attributeMarks = readTags(tagNames(attribute['Tag']));
    const tlp = attributeMarks.tlp && eventMarks.tlp ? stricter(attributeMarks.tlp, eventMarks.tlp) : attributeMarks.tlp ?? eventMarks.tlp ?? options.defaultTlp ?? 'amber';
    const attributeTime = unixToIso(attribute['timestamp']) ?? eventTime ?? eventDay;
    const firstSeen = isoOrUndefined(attribute['first_seen']) ?? eventDay ?? attributeTime;
    const lastSeen = isoOrUndefined(attribute['last_seen']) ?? attributeTime ?? firstSeen;
    if (firstSeen === undefined || lastSeen === undefined) {
      problem(out, where, 'no usable time: neither first_seen/last_seen, timestamp nor the event date');
      continue;
    }
    const comment = text(attribute['comment'])?.trim();
    const context = [objectName ? `${objectName} object` : '', comment ?? ''].filter((s) => s.length > 0).join(': ');
    const description = info && context ? `${info} — ${context}` : info ?? (context || null);
    const labels = bounded([...eventMarks.labels, ...attributeMarks.labels, ...(toIds ? [] : ['misp:non-ids'])]);
    const attack = [...new Set([...eventMarks.attack, ...attributeMarks.attack])];
    const found: { type: IndicatorType; value: string }[] = [];
    for (const candidate of observables.values) {
      const normalised = normaliseIndicator(candidate.type, candidate.value);
      if ('error' in normalised) {
        problem(out, where, `${type} ${JSON.stringify(candidate.value.slice(0, 200))}: ${normalised.error}`);
        continue;
      }
      found.push({ type: candidate.type, value: normalised.value });
      out.indicators.push({
        type: candidate.type,
        value: normalised.value,
        source,
        confidence,
        firstSeen: firstSeen <= lastSeen ? firstSeen : lastSeen,
        lastSeen: firstSeen <= lastSeen ? lastSeen : firstSeen,
        validUntil: null,
        killChain: [],
        attack,
        labels,
        description,
        tlp,
        stixId: null,
        revoked: flag(attribute['deleted']),
      });
    }
    if (uuid !== undefined && found.length > 0) byAttribute.set(uuid, found);
  }
  // Sightings sit at event level naming the attribute's uuid (§2.9), or inside the attribute.
  const sightings = objects(event['Sighting']).map((s) => ({ sighting: s, uuid: text(s['uuid']) }));
  for (const { attribute } of attributes) {
    for (const s of objects(attribute['Sighting'])) sightings.push({ sighting: s, uuid: text(s['uuid']) ?? text(attribute['uuid']) });
  }
  collectSightings(out, sightings, byAttribute);
  return out;
}

/** Confidence from analysis and threat level (see the module comment for the table). */
export function confidenceOf(analysis: unknown, threatLevel: unknown): number {
  const base: Readonly<Record<string, number>> = { '0': 40, '1': 60, '2': 80 };
  const adjust: Readonly<Record<string, number>> = { '1': 10, '2': 0, '3': -10, '4': -10 };
  const value = (base[text(analysis) ?? ''] ?? 40) + (adjust[text(threatLevel) ?? ''] ?? -10);
  return Math.max(0, Math.min(100, value));
}

type Observables = { values: { type: IndicatorType; value: string }[] } | { skip: string };

/**
 * The observables of a MISP attribute type (§2.3.2.3). Composite types join two values with `|`
 * (`filename|sha256`, `ip-dst|port`, `domain|ip`); `ip-*` values may be CIDR ranges.
 */
export function observablesOf(type: string, value: string): Observables {
  const one = (t: IndicatorType, v: string): Observables => ({ values: [{ type: t, value: v }] });
  const parts = value.split('|');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  switch (type) {
    case 'ip-src':
    case 'ip-dst':
      return one(ipType(value), value);
    case 'ip-src|port':
    case 'ip-dst|port':
      return parts.length === 2 ? one(ipType(first), first) : { skip: 'invalid-composite' };
    case 'domain':
    case 'hostname':
      return one('domain', value);
    case 'hostname|port':
      return parts.length === 2 ? one('domain', first) : { skip: 'invalid-composite' };
    case 'domain|ip':
      return parts.length === 2 ? { values: [{ type: 'domain', value: first }, { type: ipType(last), value: last }] } : { skip: 'invalid-composite' };
    case 'url':
      return one('url', value);
    case 'uri':
      // A `uri` is often a path alone (`/gate.php`), which names no host and cannot be matched.
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? one('url', value) : { skip: 'uri-relative' };
    case 'md5':
    case 'sha1':
    case 'sha256':
      return one(type, value);
    case 'filename|md5':
    case 'filename|sha1':
    case 'filename|sha256':
      return parts.length >= 2 ? one(type.slice('filename|'.length) as 'md5' | 'sha1' | 'sha256', last) : { skip: 'invalid-composite' };
    case 'email':
    case 'email-src':
    case 'email-dst':
      return one('email', value);
    case 'ja3-fingerprint-md5':
      return one('ja3', value);
    case 'user-agent':
      return one('user-agent', value);
    default:
      return { skip: `unsupported-type:${type.slice(0, 64) || '(none)'}` };
  }
}

function ipType(value: string): IndicatorType {
  if (value.includes('/')) return 'cidr';
  return value.includes(':') ? 'ipv6' : 'ipv4';
}

interface TagMarks {
  tlp: Tlp | null;
  attack: string[];
  labels: string[];
}

function tagNames(tags: unknown): string[] {
  return objects(tags).map((t) => text(t['name'])).filter((n): n is string => n !== undefined && n.trim().length > 0);
}

/** ATT&CK galaxies name a cluster `<name> - <id>` (`misp-galaxy:mitre-attack-pattern="… - T1190"`). */
const attackGalaxy = /^misp-galaxy:mitre-[a-z-]+="[^"]* - ([A-Z]{1,2}\d{4}(?:\.\d{3})?)"$/;

/** TLP, ATT&CK ids and labels of a list of tags; `PAP:*` and other tags are labels. */
function readTags(names: readonly string[]): TagMarks {
  const marks: TagMarks = { tlp: null, attack: [], labels: [] };
  for (const name of names) {
    const trimmed = name.trim();
    if (/^tlp:/i.test(trimmed)) {
      const tlp = parseTlp(trimmed);
      if (tlp) {
        marks.tlp = marks.tlp ? stricter(marks.tlp, tlp) : tlp;
        continue;
      }
    }
    const id = attackGalaxy.exec(trimmed)?.[1];
    if (id !== undefined && ATTACK_ID_RE.test(id)) {
      if (!marks.attack.includes(id)) marks.attack.push(id);
      continue;
    }
    marks.labels.push(trimmed.slice(0, MAX_LABEL_LENGTH));
  }
  return marks;
}

function bounded(labels: readonly string[]): string[] {
  return [...new Set(labels)].slice(0, MAX_LABELS);
}

function collectSightings(out: MispImport, sightings: readonly { sighting: Json; uuid: string | undefined }[], byAttribute: ReadonlyMap<string, { type: IndicatorType; value: string }[]>): void {
  const seen = new Map<string, MispSighting>();
  for (const { sighting, uuid } of sightings) {
    const kind = text(sighting['type']) ?? '0';
    if (kind === '1') {
      count(out, 'sighting-false-positive');
      continue;
    }
    if (kind === '2') {
      count(out, 'sighting-expiration');
      continue;
    }
    const targets = byAttribute.get(uuid ?? '');
    const at = unixToIso(sighting['date_sighting']);
    if (!targets || at === undefined) {
      count(out, 'sighting-unmatched');
      continue;
    }
    for (const target of targets) {
      const key = `${target.type}|${target.value}`;
      const known = seen.get(key);
      if (known) {
        known.count++;
        if (at > known.dateSighting) known.dateSighting = at;
      } else {
        seen.set(key, { ...target, count: 1, dateSighting: at });
      }
    }
  }
  out.sightings.push(...seen.values());
}

/** A Unix timestamp in seconds (string or number, as §2.2.1.8 and §2.3.2.8 write it) as ISO 8601. */
function unixToIso(value: unknown): string | undefined {
  const seconds = Number(text(value));
  return Number.isFinite(seconds) && seconds > 0 && seconds < 253402300800 ? new Date(Math.floor(seconds * 1000)).toISOString() : undefined;
}

/** An ISO 8601 datetime (§2.3.2.16, micro-seconds and offsets allowed) in the model's form. */
function isoOrUndefined(value: unknown): string | undefined {
  const raw = text(value);
  if (raw === undefined || raw.length === 0) return undefined;
  const millis = Date.parse(raw);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}

function count(out: MispImport, reason: string, n = 1): void {
  out.skipped[reason] = (out.skipped[reason] ?? 0) + n;
}

function problem(out: MispImport, where: string, reason: string): void {
  count(out, 'invalid');
  if (out.errors.length < MAX_ERRORS) out.errors.push({ where, reason });
}
