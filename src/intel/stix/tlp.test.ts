import { describe, expect, it } from 'vitest';
import { tlpLevels } from '../model.js';
import { validateObject } from './objects.js';
import { strictestTlp, TLP1_MARKINGS, TLP2_EXTENSION_ID, TLP2_MARKINGS, tlp2MarkingDefinition, tlpFromMarkingDefinition, tlpFromMarkingRef, tlpOfMarkings } from './tlp.js';

describe('TLP marking definitions', () => {
  it('carries the ids FIRST/OASIS published for TLP 2.0', () => {
    expect(TLP2_EXTENSION_ID).toBe('extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d');
    expect(TLP2_MARKINGS).toEqual({
      clear: { id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487', name: 'TLP:CLEAR' },
      green: { id: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb', name: 'TLP:GREEN' },
      amber: { id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421', name: 'TLP:AMBER' },
      'amber+strict': { id: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003', name: 'TLP:AMBER+STRICT' },
      red: { id: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1', name: 'TLP:RED' },
    });
  });

  it('carries the four TLP 1.0 ids of STIX 2.1 §7.2.1.4', () => {
    expect(Object.values(TLP1_MARKINGS).map((m) => m.id)).toEqual([
      'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
      'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
      'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
      'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
    ]);
  });

  it.each<[string, string | null]>([
    [TLP1_MARKINGS.white.id, 'clear'],
    [TLP1_MARKINGS.green.id, 'green'],
    [TLP1_MARKINGS.amber.id, 'amber'],
    [TLP1_MARKINGS.red.id, 'red'],
    ...tlpLevels.map((level): [string, string] => [TLP2_MARKINGS[level].id, level]),
    ['marking-definition--089a6ecb-cc15-43cc-9494-767639779123', null],
  ])('maps %s to %s', (id, level) => {
    expect(tlpFromMarkingRef(id)).toBe(level);
  });

  it.each(tlpLevels)('publishes a valid marking-definition object for %s', (level) => {
    const marking = tlp2MarkingDefinition(level);
    expect(validateObject(marking)).toMatchObject({ ok: true });
    expect(tlpFromMarkingDefinition(marking)).toBe(level);
  });

  it('reads TLP from unpublished marking objects by their definition', () => {
    expect(tlpFromMarkingDefinition({ id: 'marking-definition--11111111-1111-4111-8111-111111111111', extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } } })).toBe('amber+strict');
    expect(tlpFromMarkingDefinition({ definition_type: 'tlp', definition: { tlp: 'white' } })).toBe('clear');
    expect(tlpFromMarkingDefinition({ definition_type: 'statement', definition: { statement: 'Copyright' } })).toBeNull();
  });

  it('takes the strictest of several markings', () => {
    expect(strictestTlp(['green', 'red', 'amber'])).toBe('red');
    expect(strictestTlp([])).toBeNull();
    expect(tlpOfMarkings([TLP1_MARKINGS.green.id, TLP2_MARKINGS['amber+strict'].id, 'marking-definition--089a6ecb-cc15-43cc-9494-767639779123'])).toBe('amber+strict');
    const custom = 'marking-definition--22222222-2222-4222-8222-222222222222';
    expect(tlpOfMarkings([TLP2_MARKINGS.clear.id, custom], new Map([[custom, 'amber' as const]]))).toBe('amber');
    expect(tlpOfMarkings(undefined)).toBeNull();
  });
});
