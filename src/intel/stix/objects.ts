/**
 * @module intel/stix/objects
 * Validation of STIX 2.1 objects and bundles received from feeds (TAXII collections, files). Each
 * object is checked against the common properties (§3.2, see `objects-common`) and, for the types
 * Vigil uses, the required properties and constraints of its section:
 * - indicator (§4.7): pattern, pattern_type, valid_from, valid_until later than valid_from; a
 *   `stix` pattern must parse (`pattern`), other languages (sigma, snort, suricata, yara, …) are
 *   kept as they are but never matched here;
 * - observed-data (§4.14): first/last_observed in order, number_observed 1–999,999,999, exactly
 *   one of `objects` (deprecated container) or `object_refs` (SCOs and SROs only);
 * - sighting (§5.2): sighting_of_ref, count 0–999,999,999, first/last_seen in order,
 *   observed_data_refs and where_sighted_refs of the right types;
 * - identity (§4.5): name (identity_class is optional in 2.1);
 * - marking-definition (§7.2.1): no versioning properties; a `statement` or `tlp` definition, or an
 *   extension (as TLP 2.0 uses); TLP markings must be the published objects (§7.2.1.4 forbids
 *   other `tlp` marking definitions; `tlp` module for the TLP 2.0 ones);
 * - relationship (§5.1): relationship_type, source_ref and target_ref naming core objects,
 *   stop_time later than start_time;
 * - malware (§4.11): is_family, and a name when it is a family; attack-pattern (§4.1): name and
 *   ATT&CK technique ids; vulnerability (§4.19): name and CVE ids; report (§4.16): name,
 *   published, object_refs;
 * - SCOs (§6) at the top level of a bundle: the SCO common properties and the property each one
 *   cannot do without (value, name, hashes…).
 * Other specification types get the common checks only. Unknown (custom) types pass when they
 * have the common properties of an SDO or, lacking `created`, of an SCO. A bundle (§8) whose
 * objects are partly invalid keeps the valid ones; each rejected one is reported with its index
 * and the zod issue path and message.
 */
import { z } from 'zod';
import { identifierType } from './ids.js';
import {
  ATTACK_ID_RE,
  checkCommon,
  coreObject,
  cyberObservable,
  extensions,
  externalReference,
  granularMarking,
  hashes,
  identifier,
  identifierNotOf,
  identifierOf,
  isAttackSource,
  issue,
  killChainPhase,
  list,
  notBefore,
  specVersion,
  timestamp,
  timestampMillis,
} from './objects-common.js';
import { parsePattern } from './pattern.js';
import { TLP1_MARKINGS, TLP2_EXTENSION_ID, TLP2_MARKINGS, isTlp, tlpFromMarkingRef } from './tlp.js';

/** Any valid STIX object: its type, its id and the rest of its properties as received. */
export interface StixObject {
  type: string;
  id: string;
  [property: string]: unknown;
}

export interface BundleValidation {
  objects: StixObject[];
  /** Objects left out, by their index in `objects`; index -1 is the bundle itself. */
  rejected: { index: number; id?: string; reason: string }[];
}

const SDO_TYPES = ['attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure', 'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report', 'threat-actor', 'tool', 'vulnerability'];
const SCO_TYPES = ['artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr', 'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account', 'windows-registry-key', 'x509-certificate'];
/** Types a reference to a core object may not name: SROs, meta objects, bundles. */
const NOT_CORE = ['relationship', 'sighting', 'bundle', 'marking-definition', 'language-content', 'extension-definition'];

const count = (min: number) => z.number().int().min(min, `must be ${min}–999,999,999`).max(999_999_999, `must be ${min}–999,999,999`);

export const indicatorSchema = coreObject
  .extend({
    type: z.literal('indicator'),
    name: z.string().optional(),
    description: z.string().optional(),
    indicator_types: list(z.string()).optional(),
    pattern: z.string().min(1),
    pattern_type: z.string().min(1),
    pattern_version: z.string().optional(),
    valid_from: timestamp,
    valid_until: timestamp.optional(),
    kill_chain_phases: list(killChainPhase).optional(),
  })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    notBefore(ctx, o.valid_until, o.valid_from, 'valid_until', 'valid_from', '§4.7', true);
    if (o.pattern_type === 'stix') {
      const parsed = parsePattern(o.pattern);
      if (!parsed.ok) issue(ctx, ['pattern'], `is not a valid STIX pattern: ${parsed.error}`);
    }
  });

export const observedDataSchema = coreObject
  .extend({
    type: z.literal('observed-data'),
    first_observed: timestamp,
    last_observed: timestamp,
    number_observed: count(1),
    objects: z.record(z.object({ type: z.string() }).passthrough()).optional(),
    object_refs: list(identifierNotOf(...SDO_TYPES, 'marking-definition', 'language-content', 'extension-definition', 'bundle')).optional(),
  })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    notBefore(ctx, o.last_observed, o.first_observed, 'last_observed', 'first_observed', '§4.14');
    if ((o.objects === undefined) === (o.object_refs === undefined)) issue(ctx, ['object_refs'], 'exactly one of object_refs or objects must be present (STIX 2.1 §4.14)');
    if (o.objects !== undefined && Object.keys(o.objects).length === 0) issue(ctx, ['objects'], 'must not be empty (STIX 2.1 §2.3)');
  });

export const sightingSchema = coreObject
  .extend({
    type: z.literal('sighting'),
    description: z.string().optional(),
    first_seen: timestamp.optional(),
    last_seen: timestamp.optional(),
    count: count(0).optional(),
    sighting_of_ref: identifierNotOf(...NOT_CORE, ...SCO_TYPES),
    observed_data_refs: list(identifierOf('observed-data')).optional(),
    where_sighted_refs: list(identifierOf('identity', 'location')).optional(),
    summary: z.boolean().optional(),
  })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    notBefore(ctx, o.last_seen, o.first_seen, 'last_seen', 'first_seen', '§5.2');
  });

export const identitySchema = coreObject
  .extend({
    type: z.literal('identity'),
    name: z.string().min(1),
    description: z.string().optional(),
    roles: list(z.string()).optional(),
    identity_class: z.string().optional(),
    sectors: list(z.string()).optional(),
    contact_information: z.string().optional(),
  })
  .passthrough()
  .superRefine(checkCommon);

/** §7.2.1: marking definitions are not versioned, so they have no `modified` or `revoked`. */
export const markingDefinitionSchema = z
  .object({
    type: z.literal('marking-definition'),
    spec_version: specVersion,
    id: identifier,
    created: timestampMillis,
    created_by_ref: identifierOf('identity').optional(),
    name: z.string().optional(),
    external_references: list(externalReference).optional(),
    object_marking_refs: list(identifierOf('marking-definition')).optional(),
    granular_markings: list(granularMarking).optional(),
    definition_type: z.string().optional(),
    definition: z.record(z.unknown()).optional(),
    extensions: extensions.optional(),
  })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    if (o.extensions === undefined && (o.definition_type === undefined || o.definition === undefined)) {
      issue(ctx, ['definition'], 'definition_type and definition are required unless the marking is defined by an extension (STIX 2.1 §7.2.1.1)');
    }
    if (o.definition_type === 'statement' && typeof o.definition?.statement !== 'string') issue(ctx, ['definition', 'statement'], 'a statement marking needs a statement string (STIX 2.1 §7.2.1.3)');
    if (o.definition_type === 'tlp') {
      const colour = o.definition?.tlp;
      const published = colour === 'white' || colour === 'green' || colour === 'amber' || colour === 'red' ? TLP1_MARKINGS[colour] : undefined;
      if (!published || published.id !== o.id) issue(ctx, ['id'], 'only the four TLP marking definitions of STIX 2.1 §7.2.1.4 may use definition_type tlp');
    }
    const tlp2 = o.extensions?.[TLP2_EXTENSION_ID];
    const claimed = tlpFromMarkingRef(o.id);
    if (tlp2 !== undefined) {
      const level = typeof tlp2.tlp_2_0 === 'string' && isTlp(tlp2.tlp_2_0) ? tlp2.tlp_2_0 : null;
      if (!level) issue(ctx, ['extensions', TLP2_EXTENSION_ID, 'tlp_2_0'], 'must be clear, green, amber, amber+strict or red (TLP 2.0)');
      else if (TLP2_MARKINGS[level].id !== o.id || TLP2_MARKINGS[level].name !== o.name) issue(ctx, ['id'], `a TLP 2.0 marking must be the published ${TLP2_MARKINGS[level].name} object (${TLP2_MARKINGS[level].id})`);
    } else if (claimed && o.definition_type !== 'tlp') {
      issue(ctx, ['extensions'], `${o.id} is a published TLP marking and must carry its TLP definition`);
    }
  });

export const relationshipSchema = coreObject
  .extend({
    type: z.literal('relationship'),
    relationship_type: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case ASCII words joined by hyphens (STIX 2.1 §5.1)').min(3),
    description: z.string().optional(),
    source_ref: identifierNotOf(...NOT_CORE),
    target_ref: identifierNotOf(...NOT_CORE),
    start_time: timestamp.optional(),
    stop_time: timestamp.optional(),
  })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    notBefore(ctx, o.stop_time, o.start_time, 'stop_time', 'start_time', '§5.1', true);
  });

export const malwareSchema = coreObject
  .extend({
    type: z.literal('malware'),
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    malware_types: list(z.string()).optional(),
    is_family: z.boolean(),
    aliases: list(z.string()).optional(),
    kill_chain_phases: list(killChainPhase).optional(),
    first_seen: timestamp.optional(),
    last_seen: timestamp.optional(),
  })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    if (o.is_family && o.name === undefined) issue(ctx, ['name'], 'is required when is_family is true (STIX 2.1 §4.11)');
    notBefore(ctx, o.last_seen, o.first_seen, 'last_seen', 'first_seen', '§4.11');
  });

export const attackPatternSchema = coreObject
  .extend({ type: z.literal('attack-pattern'), name: z.string().min(1), description: z.string().optional(), aliases: list(z.string()).optional(), kill_chain_phases: list(killChainPhase).optional() })
  .passthrough()
  .superRefine((o, ctx) => {
    checkCommon(o, ctx);
    o.external_references?.forEach((ref, i) => {
      if (isAttackSource(ref.source_name) && ref.external_id !== undefined && ATTACK_ID_RE.test(ref.external_id) && !/^T\d{4}(?:\.\d{3})?$/.test(ref.external_id)) {
        issue(ctx, ['external_references', i, 'external_id'], `an attack pattern's ATT&CK id is a technique (T1190, T1059.001), not '${ref.external_id}'`);
      }
    });
  });

export const vulnerabilitySchema = coreObject
  .extend({ type: z.literal('vulnerability'), name: z.string().min(1), description: z.string().optional() })
  .passthrough()
  .superRefine(checkCommon);

export const reportSchema = coreObject
  .extend({ type: z.literal('report'), name: z.string().min(1), description: z.string().optional(), report_types: list(z.string()).optional(), published: timestamp, object_refs: list(identifier) })
  .passthrough()
  .superRefine(checkCommon);

const sco = (type: string, shape: z.ZodRawShape = {}) =>
  cyberObservable
    .extend({ type: z.literal(type), ...shape })
    .passthrough()
    .superRefine(checkCommon);

const SCO_SCHEMAS: Readonly<Record<string, z.ZodTypeAny>> = {
  'ipv4-addr': sco('ipv4-addr', { value: z.string().min(1) }),
  'ipv6-addr': sco('ipv6-addr', { value: z.string().min(1) }),
  'mac-addr': sco('mac-addr', { value: z.string().regex(/^[0-9a-f]{2}(?::[0-9a-f]{2}){5,7}$/, 'must be a lower-case, colon-delimited MAC address (STIX 2.1 §6.10)') }),
  'domain-name': sco('domain-name', { value: z.string().min(1) }),
  url: sco('url', { value: z.string().min(1) }),
  'email-addr': sco('email-addr', { value: z.string().min(1) }),
  'autonomous-system': sco('autonomous-system', { number: z.number().int() }),
  directory: sco('directory', { path: z.string().min(1) }),
  mutex: sco('mutex', { name: z.string().min(1) }),
  software: sco('software', { name: z.string().min(1) }),
  'network-traffic': sco('network-traffic', { protocols: list(z.string()) }),
  'email-message': sco('email-message', { is_multipart: z.boolean() }),
  file: cyberObservable
    .extend({ type: z.literal('file'), hashes: hashes.optional(), name: z.string().optional() })
    .passthrough()
    .superRefine((o, ctx) => {
      checkCommon(o, ctx);
      if (o.hashes === undefined && o.name === undefined) issue(ctx, ['hashes'], 'a file needs hashes or a name (STIX 2.1 §6.7)');
    }),
};

const SCHEMAS: Readonly<Record<string, z.ZodTypeAny>> = {
  indicator: indicatorSchema,
  'observed-data': observedDataSchema,
  sighting: sightingSchema,
  identity: identitySchema,
  'marking-definition': markingDefinitionSchema,
  relationship: relationshipSchema,
  malware: malwareSchema,
  'attack-pattern': attackPatternSchema,
  vulnerability: vulnerabilitySchema,
  report: reportSchema,
  ...SCO_SCHEMAS,
};

const coreChecked = coreObject.superRefine(checkCommon);
const scoChecked = cyberObservable.superRefine(checkCommon);

export type StixIndicator = z.infer<typeof indicatorSchema>;
export type StixObservedData = z.infer<typeof observedDataSchema>;
export type StixSighting = z.infer<typeof sightingSchema>;
export type StixIdentity = z.infer<typeof identitySchema>;
export type StixMarkingDefinition = z.infer<typeof markingDefinitionSchema>;

export type ObjectValidation = { ok: true; object: StixObject } | { ok: false; reason: string };

/** Validates one STIX 2.1 object by its type. */
export function validateObject(json: unknown): ObjectValidation {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: '(object): must be a JSON object' };
  const type = (json as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, reason: 'type: Required' };
  let schema = SCHEMAS[type];
  if (!schema) {
    if (SCO_TYPES.includes(type)) schema = scoChecked;
    else if (SDO_TYPES.includes(type) || ['language-content', 'extension-definition'].includes(type) || 'created' in json) schema = coreChecked;
    else schema = scoChecked;
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, reason: formatIssues(result.error.issues) };
  return { ok: true, object: result.data as StixObject };
}

/** Validates a bundle (§8): the valid objects, and each invalid one with the reason. */
export function validateBundle(json: unknown): BundleValidation {
  const bundle = bundleShape.safeParse(json);
  if (!bundle.success) return { objects: [], rejected: [{ index: -1, reason: `not a STIX 2.1 bundle: ${formatIssues(bundle.error.issues)}` }] };
  const out: BundleValidation = { objects: [], rejected: [] };
  (bundle.data.objects ?? []).forEach((item, index) => {
    const checked = validateObject(item);
    if (checked.ok) {
      out.objects.push(checked.object);
      return;
    }
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    out.rejected.push(typeof id === 'string' ? { index, id, reason: checked.reason } : { index, reason: checked.reason });
  });
  return out;
}

/** §8.1: `type` bundle, an id, and optionally a list of objects. A 2.0 bundle (with spec_version) is not 2.1. */
const bundleShape = z
  .object({
    type: z.literal('bundle', { errorMap: () => ({ message: "must be 'bundle'" }) }),
    id: identifier.refine((id) => identifierType(id) === 'bundle', "must start with 'bundle--'"),
    spec_version: z.undefined({ errorMap: () => ({ message: 'STIX 2.0 bundles carry spec_version; only STIX 2.1 is accepted' }) }).optional(),
    objects: z.array(z.unknown()).optional(),
  })
  .passthrough();

function formatIssues(issues: readonly z.ZodIssue[]): string {
  return issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(object)'}: ${i.message}`).join('; ');
}
