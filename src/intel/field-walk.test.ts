import { describe, expect, it } from 'vitest';
import { type EcsEvent, type EcsValue, setField } from '../core/event.js';
import { compileFieldGroups, defaultMatchedFields, fieldKinds } from './event-fields.js';
import { MAX_ARRAY_ITEMS, walkDefaultFields, walkFieldGroups } from './field-walk.js';

function visits(walk: (event: EcsEvent, visitor: { visit(kind: number, field: string, value: string): void }) => void, event: EcsEvent): string[] {
  const seen: string[] = [];
  walk(event, { visit: (kind, field, value) => seen.push(`${fieldKinds[kind]} ${field}=${value}`) });
  return seen;
}

const groups = compileFieldGroups(defaultMatchedFields);
const generic = (event: EcsEvent, visitor: { visit(kind: number, field: string, value: string): void }): void => walkFieldGroups(event, groups, visitor);

describe('walkDefaultFields', () => {
  it('visits every default field, in the order of the compiled list', () => {
    const event = { '@timestamp': '2026-03-02T00:00:00Z', event: {} } as EcsEvent;
    defaultMatchedFields.forEach(({ field }, index) => setField(event, field, index % 3 === 0 ? [`${field}-a`, 7, `${field}-b`] : `${field}-v`));
    const expected = visits(generic, event);
    expect(expected).toHaveLength(defaultMatchedFields.length + Math.ceil(defaultMatchedFields.length / 3));
    expect(visits(walkDefaultFields, event)).toEqual(expected);
    // and the kinds are the declared ones
    for (const { field, kind } of defaultMatchedFields) expect(expected.some((v) => v.startsWith(`${kind} ${field}=`))).toBe(true);
  });

  it('agrees with the generic walk on random partial and junk-typed events', () => {
    let seed = 5;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0;
    const junk: EcsValue[] = [42, null, true, { x: 'y' }, [['nested']], 'text', ['a', 'b']];
    for (let round = 0; round < 300; round++) {
      const event = { '@timestamp': '2026-03-02T00:00:00Z', event: {} } as EcsEvent;
      for (const { field } of defaultMatchedFields) if (next() % 3 === 0) setField(event, field, junk[next() % junk.length] as EcsValue);
      if (next() % 5 === 0) event['source'] = 'not an object';
      if (next() % 5 === 0) event['url'] = ['array'];
      expect(visits(walkDefaultFields, event)).toEqual(visits(generic, event));
    }
  });

  it('reads at most MAX_ARRAY_ITEMS items of an array', () => {
    const event = { '@timestamp': '', event: {}, related: { ip: new Array<string>(1000).fill('192.0.2.1') } } as EcsEvent;
    expect(visits(walkDefaultFields, event)).toHaveLength(MAX_ARRAY_ITEMS);
    expect(visits(generic, event)).toHaveLength(MAX_ARRAY_ITEMS);
  });
});
