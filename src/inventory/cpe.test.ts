import { describe, expect, it } from 'vitest';
import { bindCpeValue, parseCpe, type CpeValue } from './cpe.js';

const text = (value: CpeValue | undefined): string | null => (value?.kind === 'value' ? value.text : (value?.kind ?? null));

describe('CPE 2.3 formatted strings (NIST IR 7695 §6.2)', () => {
  it.each([
    ['cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*', 'a', 'apache', 'tomcat', '9.0.80'],
    ['cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:x64:*', 'o', 'microsoft', 'windows_server_2019', 'na'],
    ['cpe:2.3:h:cisco:asa_5505:*:*:*:*:*:*:*:*', 'h', 'cisco', 'asa_5505', 'any'],
    ['cpe:2.3:a:F5:BIG-IP_Access_Policy_Manager:15.1.0:*:*:*:*:*:*:*', 'a', 'f5', 'big-ip_access_policy_manager', '15.1.0'],
    // quoted punctuation keeps its meaning but loses its backslash in the parsed text
    ['cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*', 'a', 'hp', 'insight_diagnostics', '7.4.0.1570'],
    ['cpe:2.3:a:at\\&t:connect\\!:1.0\\:2:*:*:*:*:*:*:*', 'a', 'at&t', 'connect!', '1.0:2'],
    ['cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:en-us:*:*:*:*', 'a', 'foo\\bar', 'big$money_manager_2010', 'any'],
    ['cpe:2.3:a:vendor:product:1.\\*:*:*:es-419:*:*:*:*', 'a', 'vendor', 'product', '1.*'],
  ])('%s', (input, part, vendor, product, version) => {
    const parsed = parseCpe(input);
    if ('error' in parsed) throw new Error(parsed.error);
    const a = parsed.cpe.attributes;
    expect([text(a.part), text(a.vendor), text(a.product), text(a.version)]).toEqual([part, vendor, product, version]);
    expect(parsed.cpe.formatted).toBe(input.toLowerCase());
  });

  it('reads wildcards at either end as patterns', () => {
    const parsed = parseCpe('cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*');
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.cpe.attributes.version).toMatchObject({ kind: 'value', text: '8.', wildcard: true });
    expect(parsed.cpe.attributes.update).toMatchObject({ kind: 'value', text: 'sp', wildcard: true });
  });

  it.each([
    ['cpe:/a:apache:tomcat:9.0.80', /CPE 2.2 URI/],
    ['cpe:2.2:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*', /must start with "cpe:2.3:"/],
    ['cpe:2.3:a:apache:tomcat:9.0.80', /has 4 attributes.*needs 11/],
    ['cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*:*', /has 12 attributes/],
    ['cpe:2.3:x:apache:tomcat:9.0.80:*:*:*:*:*:*:*', /part "x" must be a/],
    ['cpe:2.3:A:apache:tomcat:9.0.80:*:*:*:*:*:*:*', /part "A"/],
    ['cpe:2.3:a::tomcat:9.0.80:*:*:*:*:*:*:*', /vendor is empty/],
    ['cpe:2.3:a:apache:tom cat:9.0.80:*:*:*:*:*:*:*', /character " " is not allowed/],
    ['cpe:2.3:a:apache:tomcat!:9.0.80:*:*:*:*:*:*:*', /"!" must be quoted with a backslash/],
    ['cpe:2.3:a:apache:tom*cat:9.0.80:*:*:*:*:*:*:*', /wildcards, allowed only at the start or end/],
    ['cpe:2.3:a:apache:tomcat:**:*:*:*:*:*:*:*', /wildcards/],
    ['cpe:2.3:a:apache:tomcat:?:*:*:*:*:*:*:*', /wildcards/],
    ['cpe:2.3:a:apache:tom\\cat:9.0.80:*:*:*:*:*:*:*', /only punctuation may be quoted/],
    ['cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:\\', /lone backslash/],
    ['cpe:2.3:a:apache:tomcat:9.0.80:*:*:english:*:*:*:*', /language "english"/],
    ['cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:ü', /printable ASCII only/],
    ['cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:\u0000', /not allowed/],
  ])('refuses %s', (input, reason) => {
    const parsed = parseCpe(input);
    expect('error' in parsed ? parsed.error : 'accepted').toMatch(reason);
  });

  it('binds plain values with punctuation quoted', () => {
    expect(bindCpeValue('1.0:2')).toBe('1.0\\:2');
    expect(bindCpeValue('9.0.80')).toBe('9.0.80');
    expect(bindCpeValue('a b')).toEqual({ error: expect.stringMatching(/cannot be written/) });
  });
});
