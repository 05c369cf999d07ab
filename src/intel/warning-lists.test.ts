import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { builtinWarningLists, builtinWarningListsNamed, defaultBuiltinWarningListNames } from './builtin-warning-lists.js';
import { WarningLists, buildWarningLists, warningListFromMisp } from './warning-lists.js';

const lists = buildWarningLists([
  { name: 'gov-vn-own', description: 'Our own', ranges: ['203.119.8.0/22', '2001:dc8::/32'], domains: ['*.gov.vn', 'portal.example.vn'], values: ['ABCDEF0123456789ABCDEF0123456789', 'HTTPS://Intranet.Example.VN:443/a#x', 'Trusted-Scanner/1.0'] },
]);

describe('WarningLists.check', () => {
  it.each([
    ['ipv4', '8.8.8.8', 'public-dns-resolvers'],
    ['ipv4', '10.20.30.40', 'private-and-reserved'],
    ['ipv4', '100.64.1.1', 'private-and-reserved'],
    ['ipv4', '127.0.0.1', 'private-and-reserved'],
    ['ipv4', '169.254.169.254', 'private-and-reserved'],
    ['ipv4', '255.255.255.255', 'private-and-reserved'],
    ['ipv4', '104.16.1.1', 'cdn-cloudflare'],
    ['ipv4', '203.119.9.1', 'gov-vn-own'],
    ['ipv4', '8.8.8.9', null],
    ['ipv4', '192.0.2.1', null], // documentation is off by default
    ['ipv6', '2001:4860:4860::8888', 'public-dns-resolvers'],
    ['ipv6', '::1', 'private-and-reserved'],
    ['ipv6', 'fe80::1', 'private-and-reserved'],
    ['ipv6', '::ffff:10.0.0.1', 'private-and-reserved'],
    ['ipv6', '2001:dc8:1::1', 'gov-vn-own'],
    ['ipv6', '2001:db8::1', null],
    ['cidr', '10.1.0.0/16', 'private-and-reserved'],
    ['cidr', '10.0.0.0/8', 'private-and-reserved'],
    ['cidr', '8.0.0.0/8', null], // contains 8.8.8.8 but is not inside a list
    ['cidr', '0.0.0.0/0', null],
    ['cidr', '::ffff:10.0.0.0/104', 'private-and-reserved'],
    ['cidr', 'fd00::/8', 'private-and-reserved'],
    ['domain', 'dns.google', 'public-dns-resolvers'],
    ['domain', 'mail.dns.google', null], // exact entry
    ['domain', 'moh.gov.vn', 'gov-vn-own'], // *.gov.vn covers gov.vn and everything under it
    ['domain', 'dichvucong.hanoi.gov.vn', 'gov-vn-own'],
    ['domain', 'MOH.GOV.VN.', 'gov-vn-own'],
    ['domain', 'com.vn', 'public-suffixes'],
    ['domain', 'evil.com.vn', null],
    ['domain', 'printer.local', 'private-and-reserved'],
    ['domain', 'portal.example.vn', 'gov-vn-own'],
    ['domain', 'x.portal.example.vn', null],
    ['url', 'https://www.gov.vn/x', 'gov-vn-own'],
    ['url', 'http://10.0.0.1/admin', 'private-and-reserved'],
    ['url', 'http://[::1]:8080/', 'private-and-reserved'],
    ['url', 'https://intranet.example.vn/a', 'gov-vn-own'],
    ['url', 'https://intranet.example.vn/b', null],
    ['email', 'x@mof.gov.vn', 'gov-vn-own'],
    ['email', 'x@evil.vn', null],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'empty-file-hashes'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'empty-file-hashes'],
    ['ja3', 'abcdef0123456789abcdef0123456789', 'gov-vn-own'],
    ['user-agent', 'Trusted-Scanner/1.0', 'gov-vn-own'],
    ['user-agent', 'trusted-scanner/1.0', null],
  ] as const)('%s %s → %s', (type, value, list) => {
    expect(lists.check(type, value)).toBe(list);
  });

  it('gives exact domain entries precedence over suffixes', () => {
    expect(lists.check('domain', 'gov.vn')).toBe('public-suffixes');
    expect(new WarningLists([{ name: 'a', description: '', domains: ['*.gov.vn'] }]).check('domain', 'gov.vn')).toBe('a');
  });

  it('enables documentation ranges only when asked', () => {
    const withDocs = buildWarningLists([], [...defaultBuiltinWarningListNames, 'documentation']);
    expect(withDocs.check('ipv4', '192.0.2.1')).toBe('documentation');
    expect(withDocs.check('domain', 'www.example.com')).toBe('documentation');
    expect(withDocs.check('ipv6', '3fff::1')).toBe('documentation');
    expect(new WarningLists([]).check('ipv4', '10.0.0.1')).toBeNull();
  });
});

describe('configuration', () => {
  it('reports every bad entry at once', () => {
    let error: unknown;
    try {
      new WarningLists([
        { name: 'Bad Name', description: '', ranges: ['10.0.0.0/33', 'nonsense'], domains: ['vn', '*.ok.vn', 'bad_..vn'], values: [''] },
        { name: 'dup', description: '' },
        { name: 'dup', description: '' },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.path)).toEqual([
      'warningLists[0].name',
      'warningLists[0].ranges[0]',
      'warningLists[0].ranges[1]',
      'warningLists[0].domains[0]',
      'warningLists[0].domains[2]',
      'warningLists[0].values[0]',
      'warningLists[2].name',
    ]);
  });

  it('refuses unknown built-in names', () => {
    expect(() => buildWarningLists([], ['no-such-list'])).toThrow(ConfigError);
    expect(builtinWarningListsNamed(['no-such-list'])).toEqual({ unknown: ['no-such-list'] });
    expect(builtinWarningListsNamed(['documentation'])).toEqual({ lists: [builtinWarningLists.find((l) => l.name === 'documentation')] });
  });

  it('every built-in list is valid and named', () => {
    const all = new WarningLists(builtinWarningLists);
    expect(all.names).toEqual(builtinWarningLists.map((l) => l.name));
  });
});

describe('warningListFromMisp', () => {
  it('imports cidr, hostname and string lists', () => {
    expect(warningListFromMisp({ name: 'List of known Akamai IP ranges', description: 'Akamai', type: 'cidr', list: ['23.32.0.0/11'] })).toEqual({
      name: 'misp-list-of-known-akamai-ip-ranges',
      description: 'Akamai',
      ranges: ['23.32.0.0/11'],
    });
    const hostname = warningListFromMisp({ name: 'x', type: 'hostname', list: ['.akamaiedge.net', 'akamai.net'] });
    expect(hostname).toMatchObject({ domains: ['*.akamaiedge.net', '*.akamai.net'] });
    const mixed = warningListFromMisp({ name: 'x', type: 'string', list: ['192.0.2.1', '2001:db8::/32', 'example.vn', 'd41d8cd98f00b204e9800998ecf8427e'] }, 'mine');
    expect(mixed).toEqual({ name: 'mine', description: 'x', ranges: ['192.0.2.1', '2001:db8::/32'], domains: ['example.vn'], values: ['d41d8cd98f00b204e9800998ecf8427e'] });
    const built = new WarningLists([hostname as never]);
    expect(built.check('domain', 'a1.akamaiedge.net')).toBe('misp-x');
  });

  it('refuses what it cannot match by lookup', () => {
    expect(warningListFromMisp({ name: 'x', type: 'regex', list: ['.*'] })).toEqual({ error: 'MISP warning lists of type "regex" are not supported (cidr, hostname and string are)' });
    expect(warningListFromMisp([])).toEqual({ error: 'a MISP warning list is a JSON object' });
    expect(warningListFromMisp({ type: 'cidr', list: [1] })).toEqual({ error: '"list" is not an array of strings' });
  });
});
