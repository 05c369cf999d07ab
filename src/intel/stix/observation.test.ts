import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../core/event.js';
import { VigilError } from '../../core/errors.js';
import { compilePattern, evaluateEvent, evaluateObservation } from './evaluate.js';
import { eventToObservation, observationFromObservedData } from './observation.js';
import { parsePattern } from './pattern.js';

function matchesEvent(pattern: string, event: EcsEvent): boolean {
  const r = parsePattern(pattern);
  if (!r.ok) throw new Error(`${pattern}: ${r.error}`);
  return evaluateEvent(compilePattern(r.pattern), event).matched;
}

const web: EcsEvent = {
  '@timestamp': '2026-03-01T10:15:00+07:00',
  event: { kind: 'event', category: ['network', 'web'] },
  source: { ip: '203.0.113.7', port: 51234, mac: 'AA-BB-CC-00-11-22', as: { number: 64500 } },
  destination: { ip: '2001:0db8:0000:0000:0000:0000:0000:0001', port: 443 },
  network: { transport: 'TCP', protocol: 'http' },
  url: { domain: 'EVIL.vn.', path: '/login.php', query: 'u=admin', scheme: 'https', original: '/login.php?u=admin' },
  http: { request: { method: 'POST', referrer: 'https://portal.gov.vn/' }, version: '1.1' },
  user_agent: { original: 'sqlmap/1.7' },
  user: { name: 'alice', id: 'S-1-5-21-1', email: 'Alice@Example.gov.vn' },
  dns: { question: { name: 'c2.evil.vn' }, resolved_ip: ['198.51.100.9', '2001:db8::9'] },
};

const endpoint: EcsEvent = {
  '@timestamp': '2026-03-01T03:00:00.123Z',
  event: { kind: 'event', category: ['process'] },
  file: { name: 'invoice.pdf.exe', directory: 'C:\\Users\\bob\\Downloads', size: 371712, hash: { sha256: 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F', md5: 'cead3f77f6cda6ec00f57d76c9a6879f' } },
  process: {
    pid: 4242,
    executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    command_line: 'powershell.exe -nop -enc SQBFAFgA',
    hash: { sha256: '1111111111111111111111111111111111111111111111111111111111111111' },
    parent: { pid: 100, name: 'WINWORD.EXE', command_line: 'winword.exe invoice.docx' },
  },
  registry: { hive: 'HKLM', key: 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', value: 'updater', data: { strings: ['C:\\evil.exe'] } },
  email: { from: { address: ['ceo@evil.vn'] }, to: { address: ['bob@agency.gov.vn'] }, subject: 'Invoice' },
  tls: { server: { x509: { serial_number: '4c:0b:1d:19', issuer: { distinguished_name: 'CN=WEBMAIL' }, not_after: '2027-01-01T00:00:00Z' }, hash: { sha1: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01' } } },
};

describe('eventToObservation', () => {
  it('observes the event once, at @timestamp in UTC', () => {
    const o = eventToObservation(web);
    expect(o).toMatchObject({ firstObserved: '2026-03-01T03:15:00.000Z', lastObserved: '2026-03-01T03:15:00.000Z', numberObserved: 1 });
  });

  it('gives SCOs their deterministic STIX ids (§2.9 example: 198.51.100.3)', () => {
    const o = eventToObservation({ '@timestamp': '2026-01-01T00:00:00Z', event: {}, source: { ip: '198.51.100.3' } });
    expect(o.objects['ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4']).toMatchObject({ type: 'ipv4-addr', value: '198.51.100.3' });
    expect(eventToObservation({ '@timestamp': '2026-01-01T00:00:00Z', event: {}, source: { ip: '198.51.100.3' } }).objects).toEqual(o.objects);
  });

  it.each([
    ["[ipv4-addr:value = '203.0.113.7']", true],
    ["[ipv4-addr:value ISSUBSET '203.0.113.0/24']", true],
    ["[ipv6-addr:value = '2001:db8::1']", true],
    ["[network-traffic:src_ref.value = '203.0.113.7' AND network-traffic:dst_port = 443 AND network-traffic:protocols[*] = 'tcp']", true],
    ["[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:src_port = 51234]", true],
    ["[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'sqlmap/1.7']", true],
    ["[network-traffic:extensions.'http-request-ext'.request_method = 'post' AND network-traffic:extensions.'http-request-ext'.request_value LIKE '%u=admin']", true],
    ["[domain-name:value = 'evil.vn']", true],
    ["[domain-name:value = 'c2.evil.vn' AND domain-name:resolves_to_refs[*].value = '198.51.100.9']", true],
    ["[url:value = 'https://EVIL.vn./login.php?u=admin']", true],
    ["[user-account:account_login = 'alice' AND user-account:user_id = 'S-1-5-21-1']", true],
    ["[email-addr:value = 'Alice@Example.gov.vn']", true],
    ["[ipv4-addr:value = '203.0.113.7' AND ipv4-addr:belongs_to_refs[0].number = 64500]", true],
    ["[ipv4-addr:resolves_to_refs[0].value = 'aa:bb:cc:00:11:22']", true],
    ["[ipv4-addr:value = '203.0.113.8']", false],
    ["[network-traffic:dst_port = 80]", false],
    ["[file:name = 'x']", false],
  ])('web event: %s → %s', (pattern, expected) => {
    expect(matchesEvent(pattern, web)).toBe(expected);
  });

  it.each([
    ["[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']", true],
    ["[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f' AND file:size = 371712]", true],
    [String.raw`[file:name = 'invoice.pdf.exe' AND file:parent_directory_ref.path = 'C:\\Users\\bob\\Downloads']`, true],
    ["[process:image_ref.name = 'powershell.exe' AND process:command_line LIKE '%-enc %']", true],
    ["[process:pid = 4242 AND process:image_ref.hashes.'SHA-256' = '1111111111111111111111111111111111111111111111111111111111111111']", true],
    ["[process:parent_ref.image_ref.name = 'WINWORD.EXE' AND process:parent_ref.pid = 100]", true],
    [String.raw`[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run' AND windows-registry-key:values[*].data LIKE '%evil.exe']`, true],
    ["[email-message:from_ref.value = 'ceo@evil.vn' AND email-message:subject = 'Invoice' AND email-message:to_refs[*].value LIKE '%.gov.vn']", true],
    ["[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19' AND x509-certificate:hashes.'SHA-1' = 'abcdef0123456789abcdef0123456789abcdef01']", true],
    ["[x509-certificate:validity_not_after > t'2026-06-01T00:00:00Z']", true],
    ["[process:image_ref.name = 'cmd.exe']", false],
  ])('endpoint event: %s → %s', (pattern, expected) => {
    expect(matchesEvent(pattern, endpoint)).toBe(expected);
  });

  it('needs two observations for two observation expressions', () => {
    expect(matchesEvent("[ipv4-addr:value = '203.0.113.7'] AND [domain-name:value = 'evil.vn']", web)).toBe(false);
    expect(matchesEvent("[ipv4-addr:value = '203.0.113.7'] OR [domain-name:value = 'nothing.vn']", web)).toBe(true);
  });

  it('reads flat (dotted) events as well', () => {
    const flat = { '@timestamp': '2026-01-01T00:00:00Z', event: {}, 'source.ip': '192.0.2.1', 'url.full': 'http://x.test/a' } as EcsEvent;
    expect(matchesEvent("[ipv4-addr:value = '192.0.2.1']", flat)).toBe(true);
    expect(matchesEvent("[url:value = 'http://x.test/a']", flat)).toBe(true);
  });

  it('rejects an event without a usable @timestamp', () => {
    expect(() => eventToObservation({ '@timestamp': 'not a time', event: {} })).toThrow(VigilError);
  });
});

describe('observationFromObservedData', () => {
  const traffic = { type: 'network-traffic', id: 'network-traffic--2568d22a-8998-58eb-99ec-3c8ca74f527d', src_ref: 'ipv4-addr--4d22aae0-2bf9-5427-8819-e4f6abf20a53', dst_ref: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', protocols: ['tcp'] };
  const src = { type: 'ipv4-addr', id: 'ipv4-addr--4d22aae0-2bf9-5427-8819-e4f6abf20a53', value: '203.0.113.1' };
  const dst = { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.2' };
  const bundle = new Map<string, unknown>([traffic, src, dst].map((o) => [o.id, o]));
  const pattern = (text: string) => {
    const r = parsePattern(text);
    if (!r.ok) throw new Error(r.error);
    return r.pattern;
  };

  it('resolves object_refs against the bundle', () => {
    const o = observationFromObservedData({ first_observed: '2026-01-01T00:00:00Z', last_observed: '2026-01-01T00:05:00Z', number_observed: 3, object_refs: [traffic.id, src.id, dst.id] }, bundle);
    expect(o.numberObserved).toBe(3);
    expect(evaluateObservation(pattern("[network-traffic:src_ref.value = '203.0.113.1' AND network-traffic:dst_ref.value = '198.51.100.2']"), [o]).matched).toBe(true);
  });

  it('does not follow references to objects the observation does not list (§9.7.4)', () => {
    const o = observationFromObservedData({ first_observed: '2026-01-01T00:00:00Z', last_observed: '2026-01-01T00:00:00Z', number_observed: 1, object_refs: [traffic.id, src.id] }, bundle);
    expect(evaluateObservation(pattern("[network-traffic:dst_ref.value = '198.51.100.2']"), [o]).matched).toBe(false);
    expect(evaluateObservation(pattern("[network-traffic:src_ref.value = '203.0.113.1']"), [o]).matched).toBe(true);
  });

  it('reads the deprecated objects container', () => {
    const o = observationFromObservedData({ first_observed: '2026-01-01T00:00:00Z', last_observed: '2026-01-01T00:00:00Z', number_observed: 1, objects: { '0': { type: 'ipv4-addr', value: '198.51.100.2' }, '1': { type: 'network-traffic', dst_ref: '0' } } });
    expect(evaluateObservation(pattern("[network-traffic:dst_ref.value = '198.51.100.2']"), [o]).matched).toBe(true);
  });
});
