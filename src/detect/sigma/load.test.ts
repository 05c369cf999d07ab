import { describe, expect, it } from 'vitest';
import { loadSigmaText } from './load.js';

const head = 'title: t\nlogsource:\n    product: test\n';

type Bad = [name: string, yaml: string, line: number, detail: string];

const malformed: Bad[] = [
  ['no title', 'logsource:\n    product: x\ndetection:\n    s:\n        A: 1\n    condition: s\n', 1, "'title' is required"],
  ['no logsource', 'title: t\ndetection:\n    s:\n        A: 1\n    condition: s\n', 1, "'logsource' is required"],
  ['no detection', head, 1, "'detection' is required"],
  ['no condition', `${head}detection:\n    s:\n        A: 1\n`, 5, "the detection has no 'condition'"],
  ['detection not a map', `${head}detection: oops\n`, 4, "'detection' must be a map, not a string"],
  ['logsource not a map', 'title: t\nlogsource: windows\ndetection:\n    s:\n        A: 1\n    condition: s\n', 2, "'logsource' must be a map, not a string"],
  ['title a list', `title:\n    - a\nlogsource:\n    product: x\ndetection:\n    s:\n        A: 1\n    condition: s\n`, 1, "'title' must be a non-empty string, not a list"],
  ['bad level', `${head}level: severe\ndetection:\n    s:\n        A: 1\n    condition: s\n`, 4, "'level' must be one of informational, low, medium, high, critical, not 'severe'"],
  ['unknown modifier', `${head}detection:\n    s:\n        A|contain: x\n    condition: s\n`, 6, "'A|contain': unknown modifier 'contain'"],
  ['deprecated aggregation', `${head}detection:\n    s:\n        A: 1\n    condition: s | count() > 5\n`, 7, "condition 's | count() > 5' (at character 3): aggregation expressions are deprecated; use a correlation rule"],
  ['undefined identifier', `${head}detection:\n    s:\n        A: 1\n    condition: s and not filter\n`, 7, "condition 's and not filter' (at character 11): search identifier 'filter' is not defined in the detection"],
  ['any of', `${head}detection:\n    s:\n        A: 1\n    condition: any of s*\n`, 7, "condition 'any of s*' (at character 1): invalid quantifier 'any' (use '1 of' or 'all of')"],
  ['bad regex', `${head}detection:\n    s:\n        A|re: '(?<=x)y'\n    condition: s\n`, 6, "'A|re': regular expression '(?<=x)y' cannot be compiled by RE2"],
  ['unbalanced regex', `${head}detection:\n    s:\n        A|re: 'a(b'\n    condition: s\n`, 6, "'A|re': regular expression 'a(b' cannot be compiled by RE2"],
  ['bad cidr', `${head}detection:\n    s:\n        Ip|cidr: '10.0.0.1/8'\n    condition: s\n`, 6, "'Ip|cidr': invalid CIDR expression '10.0.0.1/8'"],
  ['gt on text', `${head}detection:\n    s:\n        N|gt: many\n    condition: s\n`, 6, "'N|gt': modifier 'gt' needs a number, not the string 'many'"],
  ['exists on text', `${head}detection:\n    s:\n        N|exists: yes\n    condition: s\n`, 6, "'N|exists': modifier 'exists' needs true or false"],
  ['all with one value', `${head}detection:\n    s:\n        A|contains|all: x\n    condition: s\n`, 6, "'A|contains|all': modifier 'all' needs a list of at least two values"],
  ['base64 with wildcard', `${head}detection:\n    s:\n        A|base64: 'a*'\n    condition: s\n`, 6, "'A|base64': base64 encoding of strings with wildcards is not allowed"],
  ['re after contains', `${head}detection:\n    s:\n        A|contains|re: 'x'\n    condition: s\n`, 6, "'A|contains|re': modifier 're' only applies to unmodified values"],
  ['i without re', `${head}detection:\n    s:\n        A|i: 'x'\n    condition: s\n`, 6, "'A|i': modifier 'i' only applies after 're'"],
  ['nested map value', `${head}detection:\n    s:\n        A:\n            B: 1\n    condition: s\n`, 7, "the value of 'A' must be a value or a list of values, not a map"],
  ['condition a map', `${head}detection:\n    s:\n        A: 1\n    condition:\n        x: 1\n`, 8, "'condition' must be a string or a list of strings, not a map"],
  ['YAML syntax', `${head}detection:\n    s: [a\n    condition: s\n`, 6, 'YAML:'],
  ['unknown action', 'action: merge\ntitle: t\n', 1, "unknown collection action 'merge' (use global, reset or repeat)"],
];

describe('loadSigmaText: malformed rules', () => {
  it.each(malformed)('%s', (_name, yaml, line, detail) => {
    const res = loadSigmaText(yaml, 'rules/bad.yml');
    expect(res.rules).toHaveLength(0);
    const err = res.errors[0];
    expect(err?.code).toBe('VIGIL_ERR_SIGMA_RULE');
    expect(err?.location).toMatchObject({ file: 'rules/bad.yml', line });
    expect(String(err?.params.detail)).toContain(detail);
    expect(err?.message.startsWith(`rules/bad.yml:${line}: `)).toBe(true);
  });
});

describe('loadSigmaText: valid documents', () => {
  it('loads a rule with its metadata and a derived id', () => {
    const res = loadSigmaText(`title: Whoami\nstatus: test\nlevel: high\ntags:\n    - attack.t1033\n${head.slice(9)}detection:\n    s:\n        Image|endswith: '\\whoami.exe'\n    condition: s\n`, 'r.yml');
    expect(res.errors).toEqual([]);
    const rule = res.rules[0];
    expect(rule).toMatchObject({ title: 'Whoami', level: 'high', status: 'test', tags: ['attack.t1033'], logsource: { product: 'test' } });
    expect(rule?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(loadSigmaText(`title: Whoami\n${head.slice(9)}detection:\n    s:\n        A: 1\n    condition: s\n`, 'r.yml').rules[0]?.id).toBe(rule?.id);
  });

  it('applies action: global to the following documents, and reset clears it', () => {
    const yaml = [
      'action: global\ntitle: Shared\nlogsource:\n    product: windows\ndetection:\n    filter:\n        User: SYSTEM\n    condition: s and not filter',
      'logsource:\n    service: security\ndetection:\n    s:\n        EventID: 4624',
      'logsource:\n    service: system\ndetection:\n    s:\n        EventID: 7045',
      'action: reset',
      'title: Alone\nlogsource:\n    product: linux\ndetection:\n    s:\n        A: 1\n    condition: s',
    ].join('\n---\n');
    const res = loadSigmaText(yaml, 'c.yml');
    expect(res.errors).toEqual([]);
    expect(res.rules.map((r) => [r.title, r.logsource])).toEqual([
      ['Shared', { product: 'windows', service: 'security' }],
      ['Shared', { product: 'windows', service: 'system' }],
      ['Alone', { product: 'linux' }],
    ]);
    expect(res.rules[0]?.detection.searches.map((s) => s.name)).toEqual(['filter', 's']);
    expect(res.rules[0]?.id).not.toBe(res.rules[1]?.id);
  });

  it('action: repeat merges into the previous rule', () => {
    const yaml = `title: A\n${head.slice(9)}detection:\n    s:\n        X: 1\n    condition: s\n---\naction: repeat\ntitle: B\ndetection:\n    s:\n        X: 2\n`;
    const res = loadSigmaText(yaml, 'r.yml');
    expect(res.errors).toEqual([]);
    expect(res.rules.map((r) => [r.title, r.detection.searches[0]?.alternatives[0]?.[0]?.values])).toEqual([
      ['A', [1]],
      ['B', [2]],
    ]);
  });

  it('parses a correlation rule fully', () => {
    const yaml = `title: Brute force\nid: c1\nname: brute\nlevel: high\ncorrelation:\n    type: value_count\n    rules:\n        - failed_login\n    group-by:\n        - src\n    timespan: 5m\n    condition:\n        field: User\n        gte: 10\n        lt: 100\n    aliases:\n        src:\n            failed_login: source.ip\n    generate: true\n`;
    const res = loadSigmaText(yaml, 'k.yml');
    expect(res.errors).toEqual([]);
    expect(res.correlations[0]).toEqual({
      id: 'c1', name: 'brute', title: 'Brute force', level: 'high', tags: [], type: 'value_count', rules: ['failed_login'],
      groupBy: ['src'], timespanMs: 300_000, condition: { field: 'User', gte: 10, lt: 100 },
      aliases: { src: { failed_login: 'source.ip' } }, generate: true, location: { file: 'k.yml', line: 1 },
    });
  });

  it.each([
    ['30s', 30_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
  ])('timespan %s', (span, ms) => {
    const res = loadSigmaText(`title: c\ncorrelation:\n    type: temporal\n    rules: [a, b]\n    group-by: [u]\n    timespan: ${span}\n`, 'k.yml');
    expect(res.correlations[0]?.timespanMs).toBe(ms);
    expect(res.correlations[0]?.condition).toEqual({ gte: 2 });
  });

  it.each([
    ['bad type', 'type: event_sum\n    rules: a\n    timespan: 1m\n    condition:\n        gt: 1', 'correlation \'type\' must be one of'],
    ['bad timespan', 'type: event_count\n    rules: a\n    timespan: 5 minutes\n    condition:\n        gt: 1', "correlation 'timespan' must be a number followed by s, m, h or d"],
    ['event_count without condition', 'type: event_count\n    rules: a\n    timespan: 1m', 'a event_count correlation needs a condition'],
    ['value_count without field', 'type: value_count\n    rules: a\n    timespan: 1m\n    condition:\n        gt: 1', "a value_count correlation needs 'field'"],
    ['unknown condition key', 'type: event_count\n    rules: a\n    timespan: 1m\n    condition:\n        above: 1', "unknown correlation condition 'above'"],
  ])('rejects a correlation with %s', (_n, body, detail) => {
    const res = loadSigmaText(`title: c\ncorrelation:\n    ${body}\n`, 'k.yml');
    expect(res.correlations).toHaveLength(0);
    expect(String(res.errors[0]?.params.detail)).toContain(detail);
  });

  it('parses a filter', () => {
    const yaml = `title: Admins\nlogsource:\n    category: process_creation\n    product: windows\nfilter:\n    rules:\n        - rule-a\n    selection:\n        User|startswith: adm_\n    condition: selection\n`;
    const res = loadSigmaText(yaml, 'f.yml');
    expect(res.errors).toEqual([]);
    expect(res.filters[0]).toMatchObject({ title: 'Admins', rules: ['rule-a'], logsource: { category: 'process_creation' } });
    expect(res.filters[0]?.detection.searches.map((s) => s.name)).toEqual(['selection']);
  });

  it('keeps the good rules of a file when one is bad', () => {
    const yaml = `title: good\n${head.slice(9)}detection:\n    s:\n        A: 1\n    condition: s\n---\ntitle: bad\n${head.slice(9)}detection:\n    s:\n        A: 1\n    condition: t\n`;
    const res = loadSigmaText(yaml, 'm.yml');
    expect(res.rules.map((r) => r.title)).toEqual(['good']);
    expect(res.errors[0]?.location).toMatchObject({ line: 15 });
  });
});
