/**
 * @module intel/stix/objects-common
 * zod schemas for the STIX 2.1 common data types (§2) and common properties (§3.2), shared by the
 * per-type schemas of `objects`. What they hold an object to:
 * - timestamps are §2.16 (RFC 3339, UTC, `Z`); `created`/`modified` carry at least milliseconds
 *   and `modified` is not before `created` (§3.2, §3.6.1);
 * - ids are `<type>--<UUID>` with an RFC 4122 UUID and the object's own type (§2.9); references
 *   name objects of the types the property allows (§3.3);
 * - lists are never empty (§2.12); `confidence` is 0–100 (§3.2);
 * - an external reference has a `source_name` and one of `description`, `url`, `external_id`
 *   (§2.5.2); CVE, CAPEC and MITRE ATT&CK ids have their registries' forms (the forms the STIX
 *   JSON schemas check for CVE and CAPEC);
 * - a granular marking has selectors and exactly one of `marking_ref` or `lang` (§7.2.3).
 */
import { z } from 'zod';
import { IDENTIFIER_RE, identifierType } from './ids.js';
import { compareInstants, hasMillisecondPrecision, isStixTimestamp, parseStixTimestamp } from './timestamp.js';

/** §3.1: type names are lower case, 3–250 characters, words separated by single hyphens. */
export const typeName = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'must be a lower-case type name (STIX 2.1 §3.1)')
  .min(3, 'must be at least 3 characters (STIX 2.1 §3.1)')
  .max(250, 'must be at most 250 characters (STIX 2.1 §3.1)');

export const timestamp = z.string().refine(isStixTimestamp, 'must be a STIX timestamp YYYY-MM-DDTHH:mm:ss[.s+]Z in UTC (STIX 2.1 §2.16)');

export const timestampMillis = timestamp.refine(hasMillisecondPrecision, 'must be precise to the millisecond (STIX 2.1 §3.2)');

export const identifier = z.string().regex(IDENTIFIER_RE, 'must be an identifier <object-type>--<RFC 4122 UUID> (STIX 2.1 §2.9)');

/** An identifier of one of `types`. */
export function identifierOf(...types: string[]): z.ZodEffects<typeof identifier> {
  const article = /^[aeiou]/.test(types[0] ?? '') ? 'an' : 'a';
  return identifier.refine((id) => types.includes(identifierType(id) ?? ''), `must be the id of ${article} ${types.join(' or ')} object`);
}

/** An identifier of any type except `types` (SROs and meta objects where a core object is meant). */
export function identifierNotOf(...types: string[]): z.ZodEffects<typeof identifier> {
  return identifier.refine((id) => !types.includes(identifierType(id) ?? ''), `must not be the id of a ${types.join(', ')} object`);
}

/** §2.12: a list has at least one value. */
export function list<T extends z.ZodTypeAny>(item: T): z.ZodArray<T, 'atleastone'> {
  return z.array(item).nonempty('must not be an empty list (STIX 2.1 §2.12)');
}

/** §2.7: a hashes dictionary: algorithm name → value, at least one. */
export const hashes = z.record(z.string().regex(/^[A-Za-z0-9_-]{3,250}$/, 'hash algorithm names are 3–250 characters of A-Z, a-z, 0-9, - and _ (STIX 2.1 §2.7)'), z.string()).refine((h) => Object.keys(h).length > 0, 'must not be empty (STIX 2.1 §2.7)');

const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);
/** ATT&CK object ids: techniques (T1059, T1059.001), tactics, software, groups, mitigations, campaigns, data sources. */
export const ATTACK_ID_RE = /^(?:T\d{4}(?:\.\d{3})?|TA\d{4}|S\d{4}|G\d{4}|M\d{4}|C\d{4}|DS\d{4})$/;
export const CVE_ID_RE = /^CVE-\d{4}-(?:0\d{3}|[1-9]\d{3,})$/;

export function isAttackSource(sourceName: string): boolean {
  return ATTACK_SOURCES.has(sourceName);
}

export const externalReference = z
  .object({
    source_name: z.string().min(1),
    description: z.string().optional(),
    url: z.string().optional(),
    hashes: hashes.optional(),
    external_id: z.string().optional(),
  })
  .passthrough()
  .superRefine((ref, ctx) => {
    if (ref.description === undefined && ref.url === undefined && ref.external_id === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'needs a description, url or external_id besides source_name (STIX 2.1 §2.5.2)' });
    }
    const id = ref.external_id;
    if (id === undefined) return;
    if (ref.source_name === 'cve' && !CVE_ID_RE.test(id)) issue(ctx, ['external_id'], `'${id}' is not a CVE id (CVE-YYYY-NNNN)`);
    if (ref.source_name === 'capec' && !/^CAPEC-\d+$/.test(id)) issue(ctx, ['external_id'], `'${id}' is not a CAPEC id (CAPEC-N)`);
    if (ATTACK_SOURCES.has(ref.source_name) && !ATTACK_ID_RE.test(id)) issue(ctx, ['external_id'], `'${id}' is not a MITRE ATT&CK id (T1190, T1059.001, TA0001, …)`);
  });

export type ExternalReference = z.infer<typeof externalReference>;

export const killChainPhase = z.object({ kill_chain_name: z.string().min(1), phase_name: z.string().min(1) }).passthrough();

export const granularMarking = z
  .object({ selectors: list(z.string()), marking_ref: identifierOf('marking-definition').optional(), lang: z.string().optional() })
  .passthrough()
  .refine((g) => (g.marking_ref === undefined) !== (g.lang === undefined), 'needs exactly one of marking_ref or lang (STIX 2.1 §7.2.3)');

export const specVersion = z.literal('2.1', { errorMap: () => ({ message: "must be '2.1' (STIX 2.1 §3.2)" }) });

/** Extensions: a dictionary of extension instances, each a non-empty dictionary (§3.2). */
export const extensions = z.record(z.record(z.unknown()));

/** §3.2 common properties of SDOs and SROs. */
export const coreObject = z
  .object({
    type: typeName,
    spec_version: specVersion,
    id: identifier,
    created: timestampMillis,
    modified: timestampMillis,
    created_by_ref: identifierOf('identity').optional(),
    revoked: z.boolean().optional(),
    labels: list(z.string()).optional(),
    confidence: z.number().int().min(0, 'must be 0–100 (STIX 2.1 §3.2)').max(100, 'must be 0–100 (STIX 2.1 §3.2)').optional(),
    lang: z.string().optional(),
    external_references: list(externalReference).optional(),
    object_marking_refs: list(identifierOf('marking-definition')).optional(),
    granular_markings: list(granularMarking).optional(),
    extensions: extensions.optional(),
  })
  .passthrough();

/** §3.2 common properties of SCOs (no versioning properties; `spec_version` optional). */
export const cyberObservable = z
  .object({
    type: typeName,
    id: identifier,
    spec_version: specVersion.optional(),
    object_marking_refs: list(identifierOf('marking-definition')).optional(),
    granular_markings: list(granularMarking).optional(),
    defanged: z.boolean().optional(),
    extensions: extensions.optional(),
  })
  .passthrough();

/** Checks every object needs: its id names its own type (§2.9) and `modified` is not before `created` (§3.2). */
export function checkCommon(o: { type: string; id: string; created?: unknown; modified?: unknown }, ctx: z.RefinementCtx): void {
  if (identifierType(o.id) !== o.type) issue(ctx, ['id'], `must start with '${o.type}--' (STIX 2.1 §2.9)`);
  if (typeof o.created === 'string' && typeof o.modified === 'string') notBefore(ctx, o.modified, o.created, 'modified', 'created', '§3.2');
}

/** Adds an issue unless `later` is at or after `earlier` (or `strict`: after it). */
export function notBefore(ctx: z.RefinementCtx, later: string | undefined, earlier: string | undefined, laterName: string, earlierName: string, section: string, strict = false): void {
  const [a, b] = [later ? parseStixTimestamp(later) : null, earlier ? parseStixTimestamp(earlier) : null];
  if (!a || !b) return;
  const order = compareInstants(a, b);
  if (order < 0 || (strict && order === 0)) issue(ctx, [laterName], `must be ${strict ? 'later than' : 'at or after'} ${earlierName} (STIX 2.1 ${section})`);
}

export function issue(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
}
