/**
 * @module intel/stix/tlp
 * Traffic Light Protocol markings in STIX. TLP 2.0 is not part of STIX 2.1 itself: FIRST and the
 * OASIS CTI TC publish it as a property extension (`extension-definition--60a3c5c5-…`, in
 * oasis-open/cti-stix-common-objects, "tlp-2.0") with five fixed marking-definition objects whose
 * ids and names are reproduced here and MUST be used as published. The four TLP 1.0 objects are
 * the ones STIX 2.1 §7.2.1.4 defines; §7.2.1.4 forbids any other `tlp` marking definition. TLP 1.0
 * maps onto Vigil's TLP 2.0 levels as FIRST's TLP 2.0 transition does: WHITE becomes CLEAR, the
 * other colours keep their meaning (TLP 1.0 had no AMBER+STRICT).
 */
import { tlpLevels } from '../model.js';
import type { Tlp } from '../model.js';

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
/** The `created` timestamp the published TLP 2.0 objects carry. */
export const TLP2_CREATED = '2022-10-01T00:00:00.000Z';
/** The `created` timestamp of the STIX 2.1 §7.2.1.4 TLP 1.0 objects. */
export const TLP1_CREATED = '2017-01-20T00:00:00.000Z';

export interface TlpMarkingRef {
  id: string;
  name: string;
}

/** The five TLP 2.0 marking definitions (oasis-open/cti-stix-common-objects, tlp-2.0). */
export const TLP2_MARKINGS: Readonly<Record<Tlp, TlpMarkingRef>> = {
  clear: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', name: 'TLP:CLEAR' },
  green: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', name: 'TLP:GREEN' },
  amber: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER' },
  'amber+strict': { id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', name: 'TLP:AMBER+STRICT' },
  red: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED' },
};

export type Tlp1Colour = 'white' | 'green' | 'amber' | 'red';

/** The four TLP 1.0 marking definitions of STIX 2.1 §7.2.1.4. */
export const TLP1_MARKINGS: Readonly<Record<Tlp1Colour, TlpMarkingRef>> = {
  white: { id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', name: 'TLP:WHITE' },
  green: { id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', name: 'TLP:GREEN' },
  amber: { id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', name: 'TLP:AMBER' },
  red: { id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', name: 'TLP:RED' },
};

const TLP1_TO_TLP2: Readonly<Record<Tlp1Colour, Tlp>> = { white: 'clear', green: 'green', amber: 'amber', red: 'red' };

const BY_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...tlpLevels.map((level) => [TLP2_MARKINGS[level].id, level] as const),
  ...(Object.keys(TLP1_MARKINGS) as Tlp1Colour[]).map((colour) => [TLP1_MARKINGS[colour].id, TLP1_TO_TLP2[colour]] as const),
]);

/** The TLP level a published marking-definition id stands for, or null for any other marking. */
export function tlpFromMarkingRef(ref: string): Tlp | null {
  return BY_ID.get(ref) ?? null;
}

/** The TLP level a marking-definition object expresses (by its TLP 2.0 extension or §7.2.1.4 definition). */
export function tlpFromMarkingDefinition(marking: { id?: unknown; extensions?: unknown; definition_type?: unknown; definition?: unknown }): Tlp | null {
  if (typeof marking.id === 'string') {
    const known = tlpFromMarkingRef(marking.id);
    if (known) return known;
  }
  const ext = isRecord(marking.extensions) ? marking.extensions[TLP2_EXTENSION_ID] : undefined;
  if (isRecord(ext) && typeof ext.tlp_2_0 === 'string' && isTlp(ext.tlp_2_0)) return ext.tlp_2_0;
  if (marking.definition_type === 'tlp' && isRecord(marking.definition)) {
    const colour = marking.definition.tlp;
    if (colour === 'white' || colour === 'green' || colour === 'amber' || colour === 'red') return TLP1_TO_TLP2[colour];
  }
  return null;
}

/** The most restrictive of the levels (RED > AMBER+STRICT > AMBER > GREEN > CLEAR), or null if none. */
export function strictestTlp(levels: Iterable<Tlp>): Tlp | null {
  let best = -1;
  for (const level of levels) best = Math.max(best, tlpLevels.indexOf(level));
  return best < 0 ? null : (tlpLevels[best] ?? null);
}

/**
 * The TLP an object's `object_marking_refs` put on it: the strictest TLP marking among them,
 * resolving unpublished ids through `definitions` (marking-definition objects from the same bundle).
 */
export function tlpOfMarkings(refs: readonly string[] | undefined, definitions?: ReadonlyMap<string, Tlp>): Tlp | null {
  const levels: Tlp[] = [];
  for (const ref of refs ?? []) {
    const level = tlpFromMarkingRef(ref) ?? definitions?.get(ref) ?? null;
    if (level) levels.push(level);
  }
  return strictestTlp(levels);
}

/** The published TLP 2.0 marking-definition object, to ship alongside marked objects in a bundle. */
export function tlp2MarkingDefinition(level: Tlp): {
  type: 'marking-definition';
  spec_version: '2.1';
  id: string;
  created: string;
  name: string;
  extensions: Record<string, { extension_type: 'property-extension'; tlp_2_0: Tlp }>;
} {
  const { id, name } = TLP2_MARKINGS[level];
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id,
    created: TLP2_CREATED,
    name,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

export function isTlp(value: string): value is Tlp {
  return (tlpLevels as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
