/**
 * @module api/taxii-inbox
 * Adding objects to the TAXII inbox (TAXII 2.1 §5.5) and the status resources that report on it
 * (§4.3). The envelope (§3.7) is checked, its objects validated as a STIX 2.1 bundle's would be
 * (intel/stix/objects.ts `validateBundle`), indicators of the simple pattern form converted
 * (`indicatorsFromStix`: TLP from their markings, AMBER when unmarked), normalised, and stored as
 * owned by the caller's organisation with source `taxii:<org code>`. Identity and
 * marking-definition objects are used to resolve references and counted as successes; other
 * object types are refused with a reason, as are indicators whose pattern Vigil cannot store.
 * Everything is processed before the reply, so every status is `complete` (§4.3.1 allows it).
 * Statuses are kept in memory, the last 1000, readable by the organisation that posted.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VigilError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Indicator } from '../intel/model.js';
import { normaliseIndicator } from '../intel/normalise.js';
import { indicatorsFromStix } from '../intel/stix/convert.js';
import { newBundleId } from '../intel/stix/ids.js';
import { indicatorSchema, validateBundle, type StixObject } from '../intel/stix/objects.js';
import type { UserPrincipal } from '../orgs/directory.js';
import type { Store } from '../store/store.js';

/** §4.3.2: one object's outcome. */
export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

/** §4.3.1 */
export interface StatusResource {
  id: string;
  status: 'complete' | 'pending';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}

/** §3.7: the envelope a client POSTs (`more` and `next` are meaningless in a request; ignored). */
const envelopeShape = z.object({ more: z.boolean().optional(), next: z.string().optional(), objects: z.array(z.unknown()).optional() }).passthrough();

const CONTEXT_TYPES = new Set(['identity', 'marking-definition']);

export class TaxiiStatusBook {
  private readonly statuses = new Map<string, { orgId: string; status: StatusResource }>();

  constructor(private readonly capacity = 1000) {}

  add(orgId: string, status: StatusResource): void {
    this.statuses.set(status.id, { orgId, status });
    while (this.statuses.size > this.capacity) {
      const oldest = this.statuses.keys().next().value;
      if (oldest === undefined) break;
      this.statuses.delete(oldest);
    }
  }

  /** The status, when the organisation posted it (another organisation's is not found). */
  get(orgId: string, id: string): StatusResource | null {
    const held = this.statuses.get(id);
    return held && held.orgId === orgId ? held.status : null;
  }
}

function versionOf(o: Record<string, unknown>): string {
  return typeof o.modified === 'string' ? o.modified : typeof o.created === 'string' ? o.created : '';
}

/** Processes one POSTed envelope into the store, returning its status resource. */
export function addObjectsToInbox(store: Store, principal: UserPrincipal, orgCode: string, body: unknown, now: number): { status: StatusResource; stored: number } {
  const envelope = envelopeShape.safeParse(body);
  if (!envelope.success) {
    throw new VigilError('VIGIL_ERR_VALIDATION', { detail: `not a TAXII 2.1 envelope (§3.7): ${envelope.error.issues.map((i) => `${i.path.join('.') || '(envelope)'}: ${i.message}`).join('; ')}` }, { field: 'body' });
  }
  const raw = envelope.data.objects ?? [];
  const validated = validateBundle({ type: 'bundle', id: newBundleId(), objects: raw });
  const successes: StatusDetail[] = [];
  const failures: StatusDetail[] = validated.rejected.map((r) => {
    const item = raw[r.index];
    const version = typeof item === 'object' && item !== null ? versionOf(item as Record<string, unknown>) : '';
    return { id: r.id ?? `(object ${r.index})`, version, message: r.reason };
  });
  const source = `taxii:${orgCode}`;
  const at = new Date(now).toISOString();
  const drafts: { from: StixObject; indicators: Indicator[] }[] = [];
  for (const object of validated.objects) {
    const detail = { id: object.id, version: versionOf(object) };
    if (CONTEXT_TYPES.has(object.type)) {
      successes.push({ ...detail, message: 'used to resolve references; not stored' });
      continue;
    }
    if (object.type !== 'indicator') {
      failures.push({ ...detail, message: `objects of type ${object.type} are not stored by Vigil; send indicators` });
      continue;
    }
    const parsed = indicatorSchema.safeParse(object);
    if (!parsed.success) {
      failures.push({ ...detail, message: parsed.error.issues.map((i) => i.message).join('; ') });
      continue;
    }
    let converted;
    try {
      converted = indicatorsFromStix(parsed.data, { source, related: validated.objects, defaultTlp: 'amber' });
    } catch (err) {
      failures.push({ ...detail, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    if (converted.length === 0) {
      failures.push({ ...detail, message: 'the pattern is not a comparison of single values Vigil can store (e.g. [ipv4-addr:value = …]); it was not added' });
      continue;
    }
    const indicators: Indicator[] = [];
    const problems: string[] = [];
    for (const draft of converted) {
      const normalised = normaliseIndicator(draft.type, draft.value);
      if ('error' in normalised) {
        problems.push(`${draft.type} ${draft.value}: ${normalised.error}`);
        continue;
      }
      indicators.push({ ...draft, value: normalised.value, id: newId('ind'), ownerOrgId: principal.user.orgId, sharedWith: [], createdAt: at, updatedAt: at });
    }
    if (problems.length > 0) failures.push({ ...detail, message: problems.join('; ') });
    else drafts.push({ from: object, indicators });
  }
  let stored = 0;
  if (drafts.length > 0) {
    const result = store.indicators.upsert(principal.scope, drafts.flatMap((d) => d.indicators));
    stored = result.added + result.updated;
    for (const d of drafts) successes.push({ id: d.from.id, version: versionOf(d.from), message: `${d.indicators.length} indicator(s) stored` });
  }
  const status: StatusResource = {
    id: randomUUID(),
    status: 'complete',
    request_timestamp: at,
    total_count: raw.length,
    success_count: successes.length,
    successes,
    failure_count: failures.length,
    failures,
    pending_count: 0,
    pendings: [],
  };
  return { status, stored };
}
