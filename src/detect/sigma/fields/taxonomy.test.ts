import { describe, expect, it } from 'vitest';
import { fieldTables, sysmonCategories, windowsServiceChannels } from './taxonomy.js';

describe('taxonomy tables', () => {
  const rows = fieldTables.flatMap((t) => Object.entries(t.fields).map(([field, paths]) => ({ when: JSON.stringify(t.when), field, paths })));

  it('maps every field to at least one well-formed dotted path, without repeats', () => {
    for (const { when, field, paths } of rows) {
      expect(paths.length, `${when} ${field}`).toBeGreaterThan(0);
      expect(new Set(paths).size, `${when} ${field}`).toBe(paths.length);
      for (const p of paths) expect(p, `${when} ${field}`).toMatch(/^[A-Za-z_@][\w@-]*(\.[\w@-]+)*$/);
    }
  });

  it('states each table logsource once', () => {
    const whens = fieldTables.map((t) => JSON.stringify(t.when));
    expect(new Set(whens).size).toBe(whens.length);
  });

  it('writes logsource values in lower case, as rules are normalised', () => {
    for (const t of fieldTables) for (const v of Object.values(t.when)) expect(v).toBe(v?.toLowerCase());
    for (const service of Object.keys(windowsServiceChannels)) expect(service).toBe(service.toLowerCase());
  });

  it('routes every Sysmon event id of the taxonomy appendix', () => {
    const ids = Object.keys(sysmonCategories).map(Number).sort((a, b) => a - b);
    expect(ids).toEqual([...Array.from({ length: 29 }, (_, i) => i + 1), 255]);
  });
});
