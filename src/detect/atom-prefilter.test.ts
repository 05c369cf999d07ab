import { describe, expect, it } from 'vitest';
import { AtomPrefilter, eventText } from './atom-prefilter.js';

interface Item {
  name: string;
  atoms: string[] | null;
}

const items: Item[] = [
  { name: 'mimikatz', atoms: ['mimikatz', 'sekurlsa'] },
  { name: 'union', atoms: ['union select'] },
  { name: 'no-atoms', atoms: null },
  { name: 'passwd', atoms: ['/etc/passwd'] },
  { name: 'overlap', atoms: ['katz', 'select'] },
];
const prefilter = new AtomPrefilter(items, (i) => i.atoms);
const select = (event: unknown) => prefilter.select(() => eventText(event)).map((i) => i.name);

describe('AtomPrefilter', () => {
  it('keeps rules without atoms and those whose atom occurs, in their order', () => {
    expect(select({ process: { command_line: 'C:\\Tools\\MIMIKATZ.exe "sekurlsa::logonpasswords"' } })).toEqual(['mimikatz', 'no-atoms', 'overlap']);
    expect(select({ url: { query: "id=1' UNION SELECT password FROM users" } })).toEqual(['union', 'no-atoms', 'overlap']);
    expect(select({ url: { path: '/dich-vu-cong/tiep-nhan-ho-so' } })).toEqual(['no-atoms']);
  });

  it('finds atoms in arrays, numbers and deep fields, never across two fields', () => {
    expect(select({ a: ['x', { b: '../../etc/passwd' }] })).toEqual(['no-atoms', 'passwd']);
    expect(select({ a: 'union', b: 'select' })).toEqual(['no-atoms', 'overlap']);
  });

  it('finds overlapping and suffix atoms (failure links)', () => {
    const overlapping = new AtomPrefilter([{ name: 'he', atoms: ['he'] }, { name: 'she', atoms: ['she'] }, { name: 'hers', atoms: ['hers'] }], (i) => i.atoms);
    expect(overlapping.select(() => 'ushers').map((i) => i.name)).toEqual(['he', 'she', 'hers']);
  });
});
