import { describe, expect, it } from 'vitest';
import { CsvFeedReader, CsvRecordParser, detectIndicator, parseTextFeedLine, type FeedEntry } from './text-feeds.js';

function records(text: string): string[][] {
  const parser = new CsvRecordParser();
  const out = text.split('\n').flatMap((line, i) => parser.push(line, i + 1).map((r) => r.fields));
  expect(parser.end()).toBeNull();
  return out;
}

function csv(text: string, options = {}): FeedEntry[] {
  const reader = new CsvFeedReader(options);
  return [...text.split('\n').flatMap((line, i) => reader.push(line, i + 1)), ...reader.end()];
}

describe('RFC 4180 records', () => {
  it.each([
    ['a,b,c', [['a', 'b', 'c']]],
    ['"a,1","b ""q""",c', [['a,1', 'b "q"', 'c']]],
    ['"two\nlines",x\ny,z', [['two\nlines', 'x'], ['y', 'z']]],
    ['"",,', [['', '', '']]],
    ['a"b,c', [['a"b', 'c']]],
    ['"a\n\nb"', [['a\n\nb']]],
  ])('%j', (text, expected) => {
    expect(records(text)).toEqual(expected);
  });

  it('reports a quote never closed, with the line the record started on', () => {
    const parser = new CsvRecordParser();
    parser.push('x,y', 1);
    parser.push('"open,', 2);
    parser.push('still', 3);
    expect(parser.end()).toEqual({ line: 2, reason: expect.stringContaining('not closed') });
  });
});

describe('CSV feeds', () => {
  const feed = [
    '# exported by a made-up tracker',
    'id,first_seen,ioc,ioc_type,comment',
    '1,2026-11-01 10:00:00,203.0.113.5,ip-dst,"botnet C2, port 443"',
    '2,2026-11-02T00:00:00Z,"http://bad.example/a,b",url,"multi',
    'line comment"',
    '3,,Evil.Example,domain,',
    '4,,abc,md5,',
    '5,,x,regkey,',
    '# end of list',
  ].join('\n');

  it('reads the chosen columns, types, dates and comments, and counts what it cannot use', () => {
    expect(csv(feed, { valueColumn: 'ioc', typeColumn: 'ioc_type' })).toEqual([
      { ok: true, type: 'ipv4', value: '203.0.113.5', line: 3, firstSeen: '2026-11-01T10:00:00.000Z', comment: 'botnet C2, port 443' },
      { ok: true, type: 'url', value: 'http://bad.example/a,b', line: 4, firstSeen: '2026-11-02T00:00:00.000Z', comment: 'multi\nline comment' },
      { ok: true, type: 'domain', value: 'evil.example', line: 6 },
      { ok: false, line: 7, reason: expect.stringContaining('MD5') },
      { ok: false, line: 8, reason: expect.stringContaining('regkey'), skip: 'unsupported-type:regkey' },
    ]);
  });

  it('detects types by shape without a type column, and takes a column by index', () => {
    const entries = csv('value\n192.0.2.1\n2001:DB8::1\nexample.org', { valueColumn: 0 });
    expect(entries.map((e) => (e.ok ? `${e.type} ${e.value}` : e.reason))).toEqual(['ipv4 192.0.2.1', 'ipv6 2001:db8::1', 'domain example.org']);
  });

  it('refuses a column that is not in the header', () => {
    expect(() => csv('a,b\n1,2', { valueColumn: 'ioc' })).toThrow('CSV column "ioc" is not in the header (a, b)');
  });
});

describe('plain feeds', () => {
  it.each([
    ['# comment', null],
    ['   ', null],
    ['203.0.113.9', 'ipv4 203.0.113.9'],
    ['198.51.100.0/24 ; SBL123', 'cidr 198.51.100.0/24'],
    ['0.0.0.0 Ads.Example.com', 'domain ads.example.com'],
    ['https://x.example/p#frag # a comment', 'url https://x.example/p'],
    ['D41D8CD98F00B204E9800998ECF8427E', 'md5 d41d8cd98f00b204e9800998ecf8427e'],
    [`${'a'.repeat(40)}`, `sha1 ${'a'.repeat(40)}`],
    [`${'b'.repeat(64)}`, `sha256 ${'b'.repeat(64)}`],
    ['user@Example.org', 'email user@example.org'],
    ['2001:db8::1', 'ipv6 2001:db8::1'],
  ])('%j', (line, expected) => {
    const entry = parseTextFeedLine(line, 1);
    expect(entry === null ? null : entry.ok ? `${entry.type} ${entry.value}` : entry.reason).toBe(expected);
  });

  it('reports a line it cannot read, and uses the given type', () => {
    expect(parseTextFeedLine('not a value!', 7)).toEqual({ ok: false, line: 7, reason: expect.stringContaining('not an IP address') });
    expect(parseTextFeedLine('999.1.1.1', 2)).toEqual({ ok: false, line: 2, reason: expect.stringContaining('not a valid IPv4') });
    expect(parseTextFeedLine('Mozilla/5.0 (evil bot)', 3, 'user-agent')).toMatchObject({ ok: true, type: 'user-agent', value: 'Mozilla/5.0 (evil bot)' });
    expect(parseTextFeedLine('example.org', 4, 'ipv4')).toMatchObject({ ok: false });
  });

  it('detects by shape', () => {
    expect(detectIndicator('192.0.2.7/24')).toEqual({ type: 'cidr', value: '192.0.2.0/24' });
    expect(detectIndicator('ftp://files.example/x')).toEqual({ type: 'url', value: 'ftp://files.example/x' });
  });
});
