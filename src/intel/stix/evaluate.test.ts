import { describe, expect, it } from 'vitest';
import { codePointCompare } from './compare.js';
import { compilePattern, evaluateObservation } from './evaluate.js';
import type { Observation, Sco } from './observation.js';
import { parsePattern } from './pattern.js';

function compile(text: string): ReturnType<typeof compilePattern> {
  const r = parsePattern(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return compilePattern(r.pattern);
}

/** One observation of the objects (keyed "0", "1", … as in the deprecated container). */
function obs(objects: Sco[] | Record<string, Sco>, first = '2026-01-01T00:00:00Z', last = first, numberObserved = 1): Observation {
  const keyed = Array.isArray(objects) ? Object.fromEntries(objects.map((o, i) => [String(i), o])) : objects;
  return { firstObserved: first, lastObserved: last, numberObserved, objects: keyed };
}

function matches(pattern: string, observations: Observation | Observation[]): boolean {
  return evaluateObservation(compile(pattern), Array.isArray(observations) ? observations : [observations]).matched;
}

const file: Sco = {
  type: 'file',
  name: 'foo.dll',
  size: 4112,
  ratio: 1.5,
  signed: true,
  created: '2014-01-13T07:03:17.000Z',
  hashes: { 'SHA-256': 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f', MD5: 'cead3f77f6cda6ec00f57d76c9a6879f' },
  magic_number_hex: 'FFD8',
  parent_directory_ref: '1',
  extensions: { 'windows-pebinary-ext': { sections: [{ name: '.text', entropy: 6.1 }, { name: '.rsrc', entropy: 7.6 }] } },
};
const directory: Sco = { type: 'directory', path: 'C:\\Windows\\System32' };
const fileObs = obs([file, directory]);

describe('comparison operators (STIX 2.1 §9.6.1)', () => {
  it.each([
    ["[file:name = 'foo.dll']", true],
    ["[file:name = 'FOO.DLL']", false],
    ["[file:name != 'bar.dll']", true],
    ["[file:name NOT = 'foo.dll']", false],
    ['[file:size = 4112]', true],
    ['[file:size = 4112.0]', true],
    ['[file:ratio = 1]', false], // §9.2: integer 1 against float 1.5 compares the full value
    ['[file:size > 4000 AND file:size < 5000 AND file:size >= 4112 AND file:size <= 4112]', true],
    ['[file:size > 4112]', false],
    ['[file:signed = true]', true],
    ['[file:signed != false]', true],
    ["[file:size = '4112']", false], // incompatible types compare false …
    ["[file:size != '4112']", true], // … except with !=
    ["[file:name > 'foo']", true],
    ["[file:name < 'foo']", false],
    ["[file:created = t'2014-01-13T07:03:17Z']", true], // timestamps compare as instants
    ["[file:created > t'2014-01-13T07:03:16.999999Z']", true],
    ["[file:created < t'2014-01-13T07:03:17.000001Z']", true],
    ["[file:name = t'2014-01-13T07:03:17Z']", false],
    ["[file:name IN ('a.dll', 'foo.dll')]", true],
    ["[file:name IN ('a.dll', 'b.dll')]", false],
    ["[file:name NOT IN ('a.dll', 'b.dll')]", true],
    ['[file:size IN (1, 4112)]', true],
    ['[file:name IN ()]', false],
    ["[file:name LIKE 'foo%']", true],
    ["[file:name LIKE 'f_o.dll']", true],
    ["[file:name LIKE 'f_.dll']", false],
    ["[file:name LIKE '%.DLL']", false],
    ["[file:name LIKE 'fo.*']", false], // LIKE has no regular expression syntax
    ["[file:name NOT LIKE '%.exe']", true],
    [String.raw`[file:parent_directory_ref.path LIKE 'C:\\Windows\\%']`, true],
    [String.raw`[file:name MATCHES 'o+\\.dl']`, true], // search, not a whole-string match
    ["[file:name MATCHES '^o']", false],
    [String.raw`[file:parent_directory_ref.path MATCHES '^C:\\\\Windows\\\\\\w+$']`, true],
    ['[EXISTS file:hashes]', true],
    ['[EXISTS file:mime_type]', false],
    ['[NOT EXISTS file:mime_type]', true],
    ['[NOT EXISTS file:name]', false],
  ])('%s → %s', (pattern, expected) => {
    expect(matches(pattern, fileObs)).toBe(expected);
  });

  it('compares strings by code point without normalisation (§9.6.2)', () => {
    // §9.6.2: 'o' < 'oz' < 'ò' (o + U+0300) < 'z' < 'ò' (U+00F2)
    const ordered = ['o', 'oz', 'o\u0300', 'z', '\u00f2'];
    for (let i = 1; i < ordered.length; i++) expect(codePointCompare(ordered[i - 1] as string, ordered[i] as string)).toBeLessThan(0);
    expect(codePointCompare('\uffff', '\u{10000}')).toBeLessThan(0); // UTF-16 order would say otherwise
    expect(matches("[file:name = 'caf\u00e9']", obs([{ type: 'file', name: 'cafe\u0301' }]))).toBe(false);
  });

  it('NFC-normalises both sides of LIKE and MATCHES (§9.6.1)', () => {
    const o = obs([{ type: 'file', name: 'cafe\u0301' }]);
    expect(matches("[file:name LIKE 'caf_']", o)).toBe(true);
    expect(matches("[file:name MATCHES '^caf\u00e9$']", o)).toBe(true);
  });

  it('runs MATCHES with DOTALL (§9.6.1)', () => {
    const o = obs([{ type: 'process', command_line: 'cmd /c\necho pwned' }]);
    expect(matches("[process:command_line MATCHES 'cmd.+pwned']", o)).toBe(true);
    expect(matches("[process:command_line LIKE 'cmd%pwned']", o)).toBe(true);
  });

  it('never matches a regular expression RE2 cannot run, and says so', () => {
    const compiled = compile(String.raw`[file:name MATCHES '(a)\\1']`);
    expect(compiled.warnings[0]).toMatch(/cannot be run by RE2/);
    const result = evaluateObservation(compiled, [obs([{ type: 'file', name: 'aa' }])]);
    expect(result).toMatchObject({ matched: false, warnings: [expect.stringMatching(/RE2/)] });
  });

  it('compares ipv4/ipv6 values as addresses and CIDR blocks', () => {
    const v4 = obs([{ type: 'ipv4-addr', value: '198.51.100.7' }]);
    expect(matches("[ipv4-addr:value = '198.51.100.7']", v4)).toBe(true);
    expect(matches("[ipv4-addr:value = '198.51.100.7/32']", v4)).toBe(true);
    expect(matches("[ipv4-addr:value = '198.51.100.0/24']", v4)).toBe(true);
    expect(matches("[ipv4-addr:value = '198.51.101.0/24']", v4)).toBe(false);
    expect(matches("[ipv4-addr:value != '198.51.100.0/24']", v4)).toBe(false);
    expect(matches("[ipv4-addr:value IN ('203.0.113.0/24', '198.51.100.0/25')]", v4)).toBe(true);
    const v6 = obs([{ type: 'ipv6-addr', value: '2001:db8:dead:beef::1' }]);
    expect(matches("[ipv6-addr:value = '2001:0db8:dead:beef:0000:0000:0000:0001/128']", v6)).toBe(true);
  });

  it('tests subsets and supersets of address blocks (§9.6.1)', () => {
    const block = obs([{ type: 'ipv4-addr', value: '198.51.100.0/27' }]);
    expect(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", block)).toBe(true);
    expect(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/28']", block)).toBe(false);
    expect(matches("[ipv4-addr:value ISSUPERSET '198.51.100.0/28']", block)).toBe(true);
    expect(matches("[ipv4-addr:value ISSUPERSET '198.51.100.1']", block)).toBe(true);
    expect(matches("[ipv4-addr:value ISSUBSET '198.51.100.0/27' AND ipv4-addr:value ISSUPERSET '198.51.100.0/27']", block)).toBe(true);
    expect(matches("[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']", block)).toBe(true);
    const v6 = obs([{ type: 'ipv6-addr', value: '2001:db8:dead:beef::10' }]);
    expect(matches("[ipv6-addr:value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']", v6)).toBe(true);
    expect(matches("[ipv6-addr:value ISSUBSET '2001:db8:dead:bee0::/64']", v6)).toBe(false);
  });
});

describe('binary and hex properties (§9.6.3, §9.6.4)', () => {
  // §9.6.4's example: payload_bin is the base64 of 'this is a test'.
  const artifact = obs([{ type: 'artifact', mime_type: 'application/octet-stream', payload_bin: 'dGhpcyBpcyBhIHRlc3Q=' }]);
  it.each([
    ["[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']", false],
    ["[artifact:payload_bin = 'this is a test']", true],
    ["[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", true],
    ["[artifact:payload_bin = h'7468697320697320612074657374']", true],
    ["[artifact:payload_bin = 'th\u0100s']", false], // not convertible to bytes: false …
    ["[artifact:payload_bin != 'th\u0100s']", true], // … and true for !=
    ["[artifact:payload_bin > h'74']", true], // longer and otherwise equal is greater
    ["[artifact:payload_bin < h'75']", true],
    ["[artifact:payload_bin LIKE 'this%']", true],
  ])('%s → %s', (pattern, expected) => {
    expect(matches(pattern, artifact)).toBe(expected);
  });

  it('matches a regular expression against raw bytes (§9.8 PCAP example)', () => {
    const pcap = Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04, 0x00, 0x00]).toString('base64');
    const o = obs([{ type: 'artifact', mime_type: 'application/vnd.tcpdump.pcap', payload_bin: pcap }]);
    expect(matches(String.raw`[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00']`, o)).toBe(true);
    expect(matches(String.raw`[artifact:payload_bin MATCHES '^\\xd4\\xc4']`, o)).toBe(false);
  });

  it('decodes _hex properties whatever their case', () => {
    expect(matches("[file:mime_type = 'image/bmp' OR file:magic_number_hex = h'ffd8']", fileObs)).toBe(true);
    expect(matches("[file:magic_number_hex = 'ÿØ']", fileObs)).toBe(true);
  });
});

describe('object paths (§9.7)', () => {
  it.each([
    ["[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", true],
    ["[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']", true],
    ["[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]", true],
    ["[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 8.0]", false],
    ["[file:extensions.'windows-pebinary-ext'.sections[0].name = '.text']", true],
    ["[file:extensions.'windows-pebinary-ext'.sections[1].name = '.text']", false],
    ["[file:extensions.'windows-pebinary-ext'.sections[2].name != 'x']", false], // out of range: false whatever the operator
    ["[file:extensions.'windows-pebinary-ext'.sections[-1].name != 'x']", false],
    ["[file:extensions.'windows-pebinary-ext'.sections[*].name NOT = '.text']", false], // NOT negates "any item"
    ["[file:extensions.'windows-pebinary-ext'.sections[*].name != '.text']", true], // != holds for one item
    [String.raw`[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32']`, true],
    ["[file:parent_directory_ref = '1']", true], // a final _ref step is the reference itself
    ["[file:missing != 'x']", false], // §9.6: a path that is not present is false regardless of the operator
    ["[file:name.inner = 'x']", false],
  ])('%s → %s', (pattern, expected) => {
    expect(matches(pattern, fileObs)).toBe(expected);
  });

  it('follows _refs lists and reaches only objects of the same observation', () => {
    const o = obs({
      a: { type: 'domain-name', value: 'www.5z8.info', resolves_to_refs: ['b', 'zz'] },
      b: { type: 'ipv4-addr', value: '198.51.100.1' },
    });
    expect(matches("[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']", o)).toBe(true);
    expect(matches("[domain-name:resolves_to_refs[0].value = '198.51.100.1']", o)).toBe(true);
    expect(matches("[domain-name:resolves_to_refs[1].value = '198.51.100.1']", o)).toBe(false);
  });

  it('starts every comparison of an observation expression from the same SCO (§9.5 example)', () => {
    // The observed data of §9.5: two network-traffic objects, one per address.
    const split = obs({
      '0': { type: 'network-traffic', src_ref: '1' },
      '1': { type: 'ipv4-addr', value: '203.0.113.10' },
      '2': { type: 'network-traffic', dst_ref: '3' },
      '3': { type: 'ipv4-addr', value: '198.51.100.58' },
    });
    const pattern = "[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58']";
    expect(matches(pattern, split)).toBe(false);
    const joined = obs({ '0': { type: 'network-traffic', src_ref: '1', dst_ref: '3' }, '1': { type: 'ipv4-addr', value: '203.0.113.10' }, '3': { type: 'ipv4-addr', value: '198.51.100.58' } });
    expect(matches(pattern, joined)).toBe(true);
  });

  it('lets OR join comparisons on different object types (§9.5)', () => {
    const o = obs([{ type: 'domain-name', value: 'evil.vn' }]);
    expect(matches("[ipv4-addr:value = '203.0.113.7' OR domain-name:value = 'evil.vn']", o)).toBe(true);
    expect(matches("[(file:name = 'x' AND file:size = 1) OR (domain-name:value = 'evil.vn' AND domain-name:value LIKE '%.vn')]", o)).toBe(true);
  });
});

describe('observation operators and qualifiers (§9.5.1, §9.5.2)', () => {
  const a = (first: string, last = first, n = 1): Observation => obs([{ type: 'x-ev', kind: 'a' }], first, last, n);
  const b = (first: string, last = first, n = 1): Observation => obs([{ type: 'x-ev', kind: 'b' }], first, last, n);
  const A = "[x-ev:kind = 'a']";
  const B = "[x-ev:kind = 'b']";
  const t0 = '2026-01-01T00:00:00Z';
  const t100 = '2026-01-01T00:01:40Z';
  const t200 = '2026-01-01T00:03:20Z';

  it('AND and OR need the expressions on different observations', () => {
    const both = obs([{ type: 'x-ev', kind: 'a' }, { type: 'x-ev', kind: 'b' }], t0);
    expect(matches(`${A} AND ${B}`, both)).toBe(false);
    expect(matches(`${A} AND ${A}`, a(t0))).toBe(false);
    expect(matches(`${A} AND ${B}`, [a(t0), b(t100)])).toBe(true);
    expect(matches(`${A} OR ${B}`, b(t0))).toBe(true);
    expect(matches(`${A} OR ${B}`, obs([{ type: 'x-ev', kind: 'c' }]))).toBe(false);
  });

  it('counts number_observed as that many observations', () => {
    const twice = obs([{ type: 'x-ev', kind: 'a' }, { type: 'x-ev', kind: 'b' }], t0, t0, 2);
    expect(matches(`${A} AND ${B}`, twice)).toBe(true);
    expect(matches(`${A} REPEATS 5 TIMES`, a(t0, t100, 5))).toBe(true);
    expect(matches(`${A} REPEATS 6 TIMES`, a(t0, t100, 5))).toBe(false);
  });

  it('orders FOLLOWEDBY by time (§9.5.2)', () => {
    expect(matches(`${A} FOLLOWEDBY ${B}`, [a(t0), b(t100)])).toBe(true);
    expect(matches(`${A} FOLLOWEDBY ${B}`, [b(t0), a(t100)])).toBe(false);
    expect(matches(`${A} FOLLOWEDBY ${B}`, [a(t0), b(t0)])).toBe(true); // "greater than or equal"
    expect(matches(`${A} FOLLOWEDBY ${B}`, [a(t0, t200), b(t100)])).toBe(true); // times can be chosen in order
    expect(matches(`${A} FOLLOWEDBY ${A}`, [a(t0)])).toBe(false);
  });

  it('keeps WITHIN windows strictly shorter than the interval (§9.5.1)', () => {
    const pair = [a(t0), b(t100)];
    expect(matches(`(${A} AND ${B}) WITHIN 300 SECONDS`, pair)).toBe(true);
    expect(matches(`(${A} AND ${B}) WITHIN 100.5 SECONDS`, pair)).toBe(true);
    expect(matches(`(${A} AND ${B}) WITHIN 100 SECONDS`, pair)).toBe(false);
    expect(matches(`(${A} AND ${B}) WITHIN 60 SECONDS`, pair)).toBe(false);
    expect(matches(`(${A} AND ${B}) WITHIN 60 SECONDS`, [a(t0, t200), b(t100)])).toBe(true);
    expect(matches(`${A} WITHIN 1 SECONDS`, a(t0, t200))).toBe(true);
  });

  it('keeps START/STOP to [START, STOP) (§9.5.1)', () => {
    const window = "START t'2026-01-01T00:00:00Z' STOP t'2026-01-01T00:01:40Z'";
    expect(matches(`${A} ${window}`, a(t0))).toBe(true);
    expect(matches(`${A} ${window}`, a('2026-01-01T00:01:39.999Z'))).toBe(true);
    expect(matches(`${A} ${window}`, a(t100))).toBe(false);
    expect(matches(`${A} ${window}`, a('2025-12-31T23:59:59Z'))).toBe(false);
    expect(matches(`${A} ${window}`, a('2025-12-31T23:59:59Z', t200))).toBe(true);
  });

  it('repeats over different observations (§9.5.1)', () => {
    const five = ['00', '01', '02', '03', '04'].map((m) => a(`2026-01-01T00:${m}:00Z`));
    expect(matches(`${A} REPEATS 5 TIMES`, five)).toBe(true);
    expect(matches(`${A} REPEATS 6 TIMES`, five)).toBe(false);
    expect(matches(`${A} REPEATS 5 TIMES WITHIN 300 SECONDS`, five)).toBe(true);
    expect(matches(`${A} REPEATS 5 TIMES WITHIN 240 SECONDS`, five)).toBe(false);
    expect(evaluateObservation(compile(`${A} REPEATS 2 TIMES`), five).observations).toEqual([0, 1]);
  });

  it('binds a qualifier to the nearest expression (§9.5.2 examples)', () => {
    const b1 = b('2026-01-01T00:00:00Z');
    const cs = ['01', '02'].map((m) => a(`2026-01-01T00:${m}:00Z`));
    // [b] FOLLOWEDBY [c] REPEATS 2 TIMES: one b, then two c's.
    expect(matches(`${B} FOLLOWEDBY ${A} REPEATS 2 TIMES`, [b1, ...cs])).toBe(true);
    // ([b] FOLLOWEDBY [c]) REPEATS 2 TIMES: two (b, c) pairs.
    expect(matches(`(${B} FOLLOWEDBY ${A}) REPEATS 2 TIMES`, [b1, ...cs])).toBe(false);
    expect(matches(`(${B} FOLLOWEDBY ${A}) REPEATS 2 TIMES`, [b1, b('2026-01-01T00:00:30Z'), ...cs])).toBe(true);
  });

  it('ignores observations with unusable times', () => {
    expect(matches(A, a('yesterday'))).toBe(false);
    expect(matches(A, a(t100, t0))).toBe(false);
    expect(matches(A, a(t0, t0, 0))).toBe(false);
  });

  it('bounds the search and says when it gave up', () => {
    const many = Array.from({ length: 40 }, (_, i) => a(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    const started = Date.now();
    const result = evaluateObservation(compile(`${A} REPEATS 20 TIMES WITHIN 1 SECONDS`), many);
    expect(result).toMatchObject({ matched: false, truncated: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
