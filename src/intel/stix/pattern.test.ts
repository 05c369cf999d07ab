import { describe, expect, it } from 'vitest';
import { formatPattern } from './pattern-ast.js';
import type { ComparisonExpression, ObservationExpression, Pattern } from './pattern-ast.js';
import { parsePattern } from './pattern.js';

function parse(text: string): Pattern {
  const r = parsePattern(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.pattern;
}

/** The tree with every grouping made explicit; a test is named by its last path key. */
function shape(e: ObservationExpression): string {
  switch (e.kind) {
    case 'observation':
      return `[${cmp(e.comparison)}]`;
    case 'qualified':
      return `(${shape(e.expression)} ${e.qualifier.kind})`;
    default:
      return `(${shape(e.left)} ${e.kind.toUpperCase()} ${shape(e.right)})`;
  }
}
function cmp(e: ComparisonExpression): string {
  if (e.kind === 'test') {
    const last = e.path.steps[e.path.steps.length - 1];
    return last?.kind === 'key' ? last.name : '?';
  }
  return `(${cmp(e.left)} ${e.kind.toUpperCase()} ${cmp(e.right)})`;
}

function withoutOffsets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutOffsets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'offset').map(([k, v]) => [k, withoutOffsets(v)]));
  }
  return value;
}

// The example patterns of STIX 2.1 §9.1, §9.3, §9.5, §9.6 and §9.8.
const SPEC_EXAMPLES = [
  String.raw`[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']`,
  String.raw`[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']`,
  String.raw`[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']`,
  String.raw`[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']
AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']`,
  String.raw`([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) WITHIN 300 SECONDS`,
  String.raw`[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']`,
  String.raw`[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00']`,
  String.raw`[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32']`,
  String.raw`[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]`,
  String.raw`[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']`,
  String.raw`[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']`,
  String.raw`[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS`,
  String.raw`[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']`,
  String.raw`[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']`,
  String.raw`[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']`,
  String.raw`[windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388']`,
  String.raw`[(file:name = 'pdf.exe' OR file:size = 371712) AND file:created = t'2014-01-13T07:03:17Z']`,
  String.raw`[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']`,
  String.raw`[x-usb-device:usbdrive.serial_number = '575833314133343231313937']`,
  String.raw`[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS`,
  String.raw`[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']`,
  String.raw`([file:name = 'foo.dll'] AND [windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) OR [process:image_ref.name = 'fooproc' OR process:image_ref.name = 'procfoo']`,
  String.raw`[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] REPEATS 5 TIMES`,
  String.raw`([ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128'] FOLLOWEDBY [domain-name:value = 'example.com']) WITHIN 600 SECONDS`,
  String.raw`[file:name = 'foo.dll'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'`,
  String.raw`([ipv4-addr:value = '198.51.100.5' ] AND [ipv4-addr:value = '198.51.100.10']) WITHIN 300 SECONDS`,
  String.raw`[file:size = 25536]`,
  String.raw`[directory:path LIKE 'C:\\Windows\\%\\foo']`,
  String.raw`[directory:path MATCHES '^C:\\\\Windows\\\\w+$']`,
  String.raw`[process:name IN ('proccy', 'proximus', 'badproc')]`,
  String.raw`[ipv4-addr:value ISSUBSET '198.51.100.0/24']`,
  String.raw`[ipv4-addr:value ISSUPERSET '198.51.100.0/24']`,
  String.raw`[EXISTS windows-registry-key:values]`,
  String.raw`[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']`,
  String.raw`[artifact:payload_bin = h'7468697320697320612074657374']`,
  String.raw`[file:size != 4112]`,
];

describe('parsePattern: the specification examples', () => {
  it.each(SPEC_EXAMPLES)('accepts %s', (text) => {
    expect(parsePattern(text)).toMatchObject({ ok: true });
  });

  it.each(SPEC_EXAMPLES)('prints %s back to an equivalent pattern', (text) => {
    const tree = parse(text);
    expect(withoutOffsets(parse(formatPattern(tree)))).toEqual(withoutOffsets(tree));
  });
});

describe('parsePattern: other valid forms', () => {
  it.each([
    "/* leading */ [x-thing:a = 1] // trailing comment",
    '[x:a == 1]',
    "[x:a <> 'b']",
    "[x:a\u00a0=\u2003'b'\n]\r\nAND\t[x:b = 'c']",
    '[x:a NOT IN ()]',
    "[x:a NOT LIKE 'b%']",
    "[x:a NOT MATCHES 'b']",
    "[x:a NOT ISSUBSET '10.0.0.0/8']",
    '[NOT EXISTS x:a]',
    "[x:'quoted-first' = 1]",
    '[x:a[0] = 1 AND x:b[-1] = 2]',
    '[x:a > -1 AND x:b < -0.5 AND x:c >= .5 AND x:d <= +3]',
    "[x:a = b'AB\nI=']",
    "[x:a = t'2016-12-31T23:59:60.123456789Z']",
    "[x:a = t'2024-02-29T00:00:00Z']",
    '[x:a = true OR x:b != false]',
    "[x:a IN (1, 2.5, 3)]",
    '([x:a = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS',
    '([x:a = 1] REPEATS 2 TIMES) REPEATS 2 TIMES',
    '[x:a = 1] WITHIN 0.5 SECONDS REPEATS 2 TIMES',
    "[x:ANDx = 1]",
  ])('accepts %s', (text) => {
    expect(parsePattern(text)).toMatchObject({ ok: true });
  });

  it('decodes string escapes (only \\\' and \\\\)', () => {
    const p = parse(String.raw`[file:name = 'O\'Brien\\C:\\x']`);
    expect(p.root).toMatchObject({ comparison: { value: { kind: 'string', value: "O'Brien\\C:\\x" } } });
    expect(formatPattern(p)).toBe(String.raw`[file:name = 'O\'Brien\\C:\\x']`);
  });

  it('reads constants with their types', () => {
    const p = parse("[x:a IN (1)] AND [x:b = 2.5] AND [x:c = h'FFd8'] AND [x:d = b'ABI='] AND [x:e = t'2026-01-01T00:00:00Z'] AND [x:f = true]");
    const values: unknown[] = [];
    const walk = (e: ObservationExpression): void => {
      if (e.kind === 'observation' && e.comparison.kind === 'test') values.push(e.comparison.operator === 'IN' ? e.comparison.values[0] : 'value' in e.comparison ? e.comparison.value : null);
      if (e.kind === 'and') [e.left, e.right].forEach(walk);
    };
    walk(p.root);
    expect(values).toEqual([
      { kind: 'integer', value: 1 },
      { kind: 'float', value: 2.5 },
      { kind: 'hex', value: 'ffd8' },
      { kind: 'binary', value: 'ABI=' },
      { kind: 'timestamp', value: '2026-01-01T00:00:00Z' },
      { kind: 'boolean', value: true },
    ]);
  });

  it('reads object paths step by step', () => {
    const p = parse("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0 AND file:x[2].y = 1]");
    expect(p.root).toMatchObject({
      comparison: {
        left: { path: { objectType: 'file', steps: [{ kind: 'key', name: 'extensions' }, { kind: 'key', name: 'windows-pebinary-ext' }, { kind: 'key', name: 'sections' }, { kind: 'any' }, { kind: 'key', name: 'entropy' }] } },
        right: { path: { steps: [{ kind: 'key', name: 'x' }, { kind: 'index', index: 2 }, { kind: 'key', name: 'y' }] } },
      },
    });
  });
});

describe('parsePattern: precedence and associativity (STIX 2.1 §9.5.3, §9.6)', () => {
  it.each([
    ['[a:x = 1] AND [a:y = 1] OR [a:z = 1]', '(([x] AND [y]) OR [z])'],
    ['[a:x = 1] OR [a:y = 1] AND [a:z = 1]', '([x] OR ([y] AND [z]))'],
    ['[a:x = 1] OR [a:y = 1] FOLLOWEDBY [a:z = 1]', '(([x] OR [y]) FOLLOWEDBY [z])'],
    ['[a:x = 1] FOLLOWEDBY [a:y = 1] AND [a:z = 1]', '([x] FOLLOWEDBY ([y] AND [z]))'],
    ['[a:x = 1] AND [a:y = 1] AND [a:z = 1]', '(([x] AND [y]) AND [z])'],
    ['[a:x = 1] FOLLOWEDBY [a:y = 1] FOLLOWEDBY [a:z = 1]', '(([x] FOLLOWEDBY [y]) FOLLOWEDBY [z])'],
    ['[a:x = 1] AND ([a:y = 1] OR [a:z = 1])', '([x] AND ([y] OR [z]))'],
    // §9.5.2: "qualifiers are not greedy": REPEATS applies to [y] only.
    ['[a:x = 1] FOLLOWEDBY [a:y = 1] REPEATS 5 TIMES', '([x] FOLLOWEDBY ([y] repeats))'],
    ['([a:x = 1] FOLLOWEDBY [a:y = 1]) REPEATS 5 TIMES', '(([x] FOLLOWEDBY [y]) repeats)'],
    ['[a:x = 1] AND [a:y = 1] REPEATS 5 TIMES WITHIN 300 SECONDS', '([x] AND (([y] repeats) within))'],
    ['[a:x = 1 OR a:y = 1 AND a:z = 1]', '[(x OR (y AND z))]'],
    ['[a:x = 1 AND a:y = 1 OR a:z = 1]', '[((x AND y) OR z)]'],
    ['[(a:x = 1 OR a:y = 1) AND a:z = 1]', '[((x OR y) AND z)]'],
    ['[a:x = 1 OR a:y = 1 OR a:z = 1]', '[((x OR y) OR z)]'],
  ])('%s groups as %s', (text, expected) => {
    expect(shape(parse(text).root)).toBe(expected);
  });

  it('prints a tree with only the parentheses it needs', () => {
    expect(formatPattern(parse('(([a:x = 1] AND [a:y = 1])) OR ([a:z = 1])'))).toBe('[a:x = 1] AND [a:y = 1] OR [a:z = 1]');
    expect(formatPattern(parse('[a:x = 1] AND ([a:y = 1] OR [a:z = 1])'))).toBe('[a:x = 1] AND ([a:y = 1] OR [a:z = 1])');
    expect(formatPattern(parse('([a:x = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS'))).toBe('([a:x = 1] WITHIN 5 SECONDS) WITHIN 6 SECONDS');
    expect(formatPattern(parse('[a:x = 1] WITHIN 2.5 SECONDS REPEATS 2 TIMES'))).toBe('[a:x = 1] WITHIN 2.5 SECONDS REPEATS 2 TIMES');
  });
});

describe('parsePattern: invalid patterns', () => {
  it.each([
    ['file:size = 1280', "expected '[' or '(' but found 'file' at 0"],
    ['[file:size = ]', "expected a constant but found ']' at 13"],
    ['[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]', "expected a constant but found 'cead3f77f6cda6ec00f57d76c9a6879f' at 19"],
    ['[file.size = 1280]', "expected ':' after the object type but found '.' at 5"],
    [String.raw`[file:name MATCHES /.*\.dll/]`, "unexpected character '/' at 19"],
    ["[x:k = 'a'] WITHIN ]", "expected a number of seconds but found ']' at 19"],
    ["[x:k = 'a'] WITHIN 5 HOURS", "expected SECONDS but found 'HOURS' at 21"],
    ["[x:k = 'a'] WITHIN -5 SECONDS", 'WITHIN takes a positive number of seconds (STIX 2.1 §9.5.1) at 19'],
    ["[x:k = 'a'] WITHIN 0 SECONDS", 'WITHIN takes a positive number of seconds (STIX 2.1 §9.5.1) at 19'],
    ['[network-traffic:dst_ref.value ISSUBSET ]', "expected a string in apostrophes ('…') but found ']' at 40"],
    ["[file:hashes.MD5 =? 'x']", "unexpected character '?' at 18"],
    ["[x_whatever:detected == t'2457-73-22T32:81:84.1Z']", "invalid timestamp t'2457-73-22T32:81:84.1Z': expected YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date at 24"],
    ["[x:a = t'2023-02-29T00:00:00Z']", "invalid timestamp t'2023-02-29T00:00:00Z': expected YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date at 7"],
    ["[x:a = t'2024-01-15T12:30:45']", "invalid timestamp t'2024-01-15T12:30:45': expected YYYY-MM-DDTHH:mm:ss[.s+]Z naming a real date at 7"],
    ["[artifact:payload_bin = b'====']", "invalid binary constant b'====': expected base64 at 24"],
    ["[x:a = h'abc']", "invalid hex constant h'abc': expected an even number of hex digits at 7"],
    ['[foo:bar=1] within 2 seconds', "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern but found 'within' at 12"],
    ["[x:k = 'a'] WITHIN 5 SECONDS WITHIN 6 SECONDS", 'an observation expression may have only one WITHIN qualifier (STIX 2.1 §9.5.1); parenthesise to qualify a group at 29'],
    ["([x:k = 'a'] REPEATS 2 TIMES REPEATS 3 TIMES)", 'an observation expression may have only one REPEATS qualifier (STIX 2.1 §9.5.1); parenthesise to qualify a group at 29'],
    [
      "[x:k = 'a'] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'",
      'an observation expression may have only one START/STOP qualifier (STIX 2.1 §9.5.1); parenthesise to qualify a group at 79',
    ],
    ['[x:a = 1] REPEATS 0 TIMES', 'REPEATS takes a positive integer (STIX 2.1 §9.5.1) at 18'],
    ['[x:a = 1] REPEATS 1.5 TIMES', "expected a number of times but found '1.5' at 18"],
    [
      "[x:a = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-06-01T00:00:00Z'",
      'START must be earlier than STOP (STIX 2.1 §9.5.1: observations must be at or after START and before STOP) at 10',
    ],
    ["[file:name = 'a' AND process:name = 'b']", 'comparisons joined by AND must apply to one object, so they must share an object type; file and process may only be joined by OR (STIX 2.1 §9.5) at 17'],
    ["[(file:name = 'a' OR process:name = 'b') AND url:value = 'c']", 'comparisons joined by AND must apply to one object, so they must share an object type; file/process and url may only be joined by OR (STIX 2.1 §9.5) at 41'],
    ["[x:a IN ('a', 1)]", 'the values of IN must all be of one type (STIX 2.1 §9.6.1) at 8'],
    ["[x:a = 'unterminated]", 'unterminated string at 7'],
    [String.raw`[x:a = 'bad \n escape']`, String.raw`invalid escape '\n' in string: only \' and \\ are allowed at 12`],
    ['[file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0]', "property name 'windows-pebinary-ext' contains '-' and must be quoted: 'windows-pebinary-ext' in apostrophes (STIX 2.1 §9.7) at 17"],
    ['[x:a = 007]', "invalid integer '007': leading zeros are not allowed at 7"],
    ['[x:a = 5.]', "invalid number '5.' at 7"],
    ['[x:a = 99999999999999999999]', "integer '99999999999999999999' is outside the 54-bit range of STIX integers at 7"],
    ['[x:a > true]', 'booleans can only be compared with = and != (STIX 2.1 §9.6.1) at 7'],
    ["[x:a LIKE 5]", "expected a string in apostrophes ('…') but found '5' at 10"],
    ["[ipv4-addr:value ISSUBSET 'not-an-ip']", "ISSUBSET takes an IPv4 or IPv6 address or CIDR block, not 'not-an-ip' (STIX 2.1 §9.6.1) at 26"],
    ['[x:a = 1', "expected ']' but found the end of the pattern at 8"],
    ['[x:a = 1] AND', "expected '[' or '(' but found the end of the pattern at 13"],
    ['[NOT x:a = 1]', "expected EXISTS but found 'x' at 5"],
    ['[x:a = 1 AND NOT x:b = 2]', "expected EXISTS but found 'x' at 17"],
    ['[]', "expected an object path (<object-type>:<property>) but found ']' at 1"],
    ['[x:a ~ 1]', "unexpected character '~' at 5"],
    ['[x:a = 1] /* never closed', 'unterminated comment at 10'],
    ['', "expected '[' or '(' but found the end of the pattern at 0"],
    ['([x:a = 1]', "expected ')' but found the end of the pattern at 10"],
    ['[x:a[x] = 1]', "expected a list index or '*' but found 'x' at 5"],
  ])('%s → %s', (text, error) => {
    const r = parsePattern(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBe(error);
      expect(r.offset).toBe(Number(/ at (\d+)$/.exec(error)?.[1]));
    }
  });
});
