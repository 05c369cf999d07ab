import { describe, expect, it } from 'vitest';
import { flatGet, ruleFromYaml } from './test-rule.js';

const rule = (detection: string) => ruleFromYaml(`title: t\nid: r1\nlogsource:\n    product: test\ndetection:\n${detection}`);

describe('compileRule: conditions', () => {
  const r = rule(
    [
      '    a:',
      "        A: '1'",
      '    b:',
      "        B: '1'",
      '    c:',
      "        C: '1'",
      '    condition: a or b and not c',
    ].join('\n'),
  );
  it.each([
    [{ A: '1' }, true],
    [{ A: '1', C: '1' }, true],
    [{ B: '1' }, true],
    [{ B: '1', C: '1' }, false],
    [{}, false],
  ])('a or b and not c on %j', (event, expected) => {
    expect(r.matches(event, flatGet)).toBe(expected);
  });

  it('1 of / all of / them', () => {
    const det = (cond: string) =>
      rule(`    sel_a:\n        A: 1\n    sel_b:\n        B: 1\n    _ignored:\n        Z: 1\n    condition: ${cond}\n`);
    expect(det('1 of sel_*').matches({ B: 1 }, flatGet)).toBe(true);
    expect(det('all of sel_*').matches({ B: 1 }, flatGet)).toBe(false);
    expect(det('all of sel_*').matches({ A: 1, B: 1 }, flatGet)).toBe(true);
    expect(det('all of them').matches({ A: 1, B: 1 }, flatGet)).toBe(true);
    expect(det('1 of them').matches({ Z: 1 }, flatGet)).toBe(false);
  });

  it('a list of conditions is OR-ed', () => {
    const r2 = rule('    a:\n        A: 1\n    b:\n        B: 1\n    condition:\n        - a\n        - b\n');
    expect(r2.matches({ B: 1 }, flatGet)).toBe(true);
    expect(r2.matches({ C: 1 }, flatGet)).toBe(false);
  });

  it('a list of maps is OR-ed', () => {
    const r2 = rule("    s:\n        - Image|endswith: '\\x.exe'\n        - Description|contains: 'Test'\n    condition: s\n");
    expect(r2.matches({ Description: 'a test' }, flatGet)).toBe(true);
    expect(r2.matches({ Image: 'c:\\y.exe' }, flatGet)).toBe(false);
  });
});

describe('compileRule: keywords', () => {
  it('searches every leaf of a nested event as a substring', () => {
    const r = rule("    keywords:\n        - 'event::clear'\n        - 'event::drop'\n    condition: keywords\n");
    expect(r.matches({ message: 'mimikatz # EVENT::Clear' }, flatGet)).toBe(true);
    expect(r.matches({ process: { args: ['x', 'event::drop'] } }, flatGet)).toBe(true);
    expect(r.matches({ message: 'nothing' }, flatGet)).toBe(false);
    expect(r.requiredAtoms).toEqual(['event::clear', 'event::drop']);
  });

  it("'|all' keywords must all occur", () => {
    const r = rule("    keywords:\n        '|all':\n            - 'OabVirtualDirectory'\n            - ' -ExternalUrl '\n    condition: keywords\n");
    expect(r.matches({ a: 'Set-OabVirtualDirectory', b: 'x -ExternalUrl y' }, flatGet)).toBe(true);
    expect(r.matches({ a: 'Set-OabVirtualDirectory' }, flatGet)).toBe(false);
  });
});

describe('compileRule: requiredAtoms', () => {
  it.each([
    ["    s:\n        CommandLine|contains:\n            - 'Mimikatz'\n            - 'sekurlsa'\n        EventID: 1\n    condition: s\n", ['mimikatz', 'sekurlsa']],
    ["    s:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|contains|all:\n            - ' /c '\n            - 'whoami'\n    condition: s\n", ['\\cmd.exe']],
    ["    a:\n        A|contains: 'alpha'\n    b:\n        B|contains: 'beta'\n    condition: a or b\n", ['alpha', 'beta']],
    ["    a:\n        A|contains: 'alpha'\n    f:\n        B|contains: 'beta'\n    condition: a and not f\n", ['alpha']],
    ["    a:\n        A|contains: 'alpha'\n    f:\n        B: 'beta'\n    condition: not f\n", null],
    ["    a:\n        A|re: 'x+'\n    condition: a\n", null],
    ['    a:\n        A: 4624\n    condition: a\n', null],
    ["    a:\n        A|contains: 'alpha'\n    b:\n        B: 1\n    condition: a or b\n", null],
    ["    a:\n        A|exists: true\n        B: 'x*yz'\n    condition: a\n", ['yz']],
  ])('%#', (det, atoms) => {
    const r = rule(det);
    expect(r.requiredAtoms === null ? null : [...r.requiredAtoms].sort()).toEqual(atoms === null ? null : [...atoms].sort());
  });
});

describe('compileRule: matchedFields', () => {
  it('names the fields of the true searches, not of negated ones', () => {
    const r = rule(
      "    sel:\n        Image|endswith: '\\cmd.exe'\n        User: bob\n    alt:\n        Other: 1\n    filter:\n        Parent: x\n    condition: (sel or alt) and not filter\n",
    );
    const event = { Image: 'c:\\cmd.exe', User: 'bob', Parent: 'y' };
    expect(r.matches(event, flatGet)).toBe(true);
    expect(r.matchedFields(event, flatGet).sort()).toEqual(['Image', 'User']);
  });

  it('copies the rule metadata', () => {
    const r = ruleFromYaml("title: T\nid: abc\nname: n\nlevel: low\nstatus: test\ntags: [x.y]\nlogsource:\n    product: p\ndetection:\n    s:\n        A: 1\n    condition: s\n");
    expect(r).toMatchObject({ id: 'abc', name: 'n', title: 'T', level: 'low', status: 'test', tags: ['x.y'], logsource: { product: 'p' }, location: { file: 'test.yml', line: 1 } });
  });
});
