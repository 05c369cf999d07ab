import { describe, expect, it } from 'vitest';
import { checkBaseUrl, checkHostname, checkIpRange, splitBaseUrl } from './addresses.js';
import { budgetMeasures } from './model.js';
import { mayBeAtOrBelow, toInstalledSoftware } from './software.js';
import { compareVersions } from './version.js';

describe('installed software', () => {
  it('takes the version from the CPE, or fills the CPE from the version', () => {
    expect(toInstalledSoftware({ cpe: 'cpe:2.3:a:Apache:Tomcat:9.0.80:*:*:*:*:*:*:*' })).toEqual({
      software: { cpe: 'cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*', part: 'a', vendor: 'apache', product: 'tomcat', version: '9.0.80' },
    });
    expect(toInstalledSoftware({ cpe: 'cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*', version: '10.1.0-M1' })).toEqual({
      software: { cpe: 'cpe:2.3:a:apache:tomcat:10.1.0-m1:*:*:*:*:*:*:*', part: 'a', vendor: 'apache', product: 'tomcat', version: '10.1.0-m1' },
    });
    expect(toInstalledSoftware({ cpe: 'cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*' })).toMatchObject({ software: { version: null } });
  });

  it.each([
    [{ cpe: 'cpe:2.3:a:*:tomcat:9:*:*:*:*:*:*:*' }, /vendor is ANY/],
    [{ cpe: 'cpe:2.3:a:apache:-:9:*:*:*:*:*:*:*' }, /product is NA/],
    [{ cpe: 'cpe:2.3:*:apache:tomcat:9:*:*:*:*:*:*:*' }, /part must be a, o or h/],
    [{ cpe: 'cpe:2.3:a:apache:tomcat*:9:*:*:*:*:*:*:*' }, /wildcard pattern/],
    [{ cpe: 'cpe:2.3:a:apache:tomcat:9.*:*:*:*:*:*:*:*' }, /version "9\.\*" is a wildcard/],
    [{ cpe: 'cpe:2.3:a:apache:tomcat:9.0.80:*:*:*:*:*:*:*', version: '9.0.81' }, /disagrees/],
    [{ cpe: 'cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*', version: 'nine point oh' }, /cannot be written/],
    [{ cpe: 'apache tomcat 9' }, /not a CPE 2\.3 formatted string.*must start with "cpe:2\.3:"/],
  ])('refuses %j', (input, reason) => {
    const result = toInstalledSoftware(input);
    expect('error' in result ? result.error : 'accepted').toMatch(reason);
  });
});

describe('version order', () => {
  it.each([
    ['1.10', '1.9', 1],
    ['1.9', '1.10', -1],
    ['2.4.58', '2.4.9', 1],
    ['1.0', '1.0.0', 0],
    ['1.0.1', '1.0', 1],
    ['2.0rc1', '2.0', -1],
    ['10.0.0-beta2', '10.0.0', -1],
    ['10.0.0-alpha', '10.0.0-beta', -1],
    ['1.1.1k', '1.1.1', 1],
    ['1.1.1k', '1.1.1l', -1],
    ['8.9p1', '8.9', 1],
    ['9.0.80', '9.0.80', 0],
    ['V2.1', 'v2.1', 0],
    ['20231125', '9', 1],
    ['1.0.99999999999999999999', '1.0.99999999999999999998', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(compareVersions(a, b))).toBe(expected);
  });

  it('counts unknown versions as possibly exposed', () => {
    const known = { cpe: '', part: 'a' as const, vendor: 'apache', product: 'tomcat', version: '9.0.80' };
    expect(mayBeAtOrBelow(known, '9.0.81')).toEqual({ exposed: true, versionKnown: true });
    expect(mayBeAtOrBelow(known, '9.0.8')).toEqual({ exposed: false, versionKnown: true });
    expect(mayBeAtOrBelow({ ...known, version: null }, '1')).toEqual({ exposed: true, versionKnown: false });
  });
});

describe('names, URLs and ranges of a system', () => {
  it.each([
    ['DichVuCong.HaNoi.gov.vn.', 'dichvucong.hanoi.gov.vn'],
    ['*.hanoi.gov.vn', '*.hanoi.gov.vn'],
    ['cổng.hànội.vn', 'xn--cng-qmz.xn--hni-9ka0849a.vn'],
    ['api_gw.example.gov.vn', 'api_gw.example.gov.vn'],
  ])('host name %s → %s', (input, value) => expect(checkHostname(input)).toEqual({ value }));

  it.each([
    ['*.vn', /at least two labels/],
    ['a.*.gov.vn', /only allowed as the first label/],
    ['https://a.gov.vn', /not a host name/],
    ['10.0.0.1', /put it in ipRanges/],
    ['-bad.gov.vn', /starts or ends with "-"/],
    ['a..gov.vn', /empty label/],
    [`${'a'.repeat(64)}.gov.vn`, /longer than 63/],
  ])('refuses host name %s', (input, reason) => {
    const checked = checkHostname(input);
    expect('error' in checked ? checked.error : 'accepted').toMatch(reason);
  });

  it('makes base URLs canonical and splits them for attribution', () => {
    expect(checkBaseUrl('HTTPS://DichVuCong.HaNoi.gov.vn:443/dvc/')).toEqual({ value: 'https://dichvucong.hanoi.gov.vn/dvc' });
    expect(splitBaseUrl('https://dichvucong.hanoi.gov.vn/dvc')).toEqual({ host: 'dichvucong.hanoi.gov.vn', path: '/dvc' });
    expect(splitBaseUrl('https://[2001:db8::1]:8443')).toEqual({ host: '2001:db8::1', path: '' });
    for (const bad of ['ftp://a.gov.vn/', 'https://u:p@a.gov.vn/', 'https://a.gov.vn/?x=1', 'https://a.gov.vn/#top', '/relative', 'javascript:alert(1)']) {
      expect(checkBaseUrl(bad), bad).toHaveProperty('error');
    }
  });

  it('reads ranges as CIDR, single addresses as /32 and /128', () => {
    expect(checkIpRange('10.1.2.3/16')).toEqual({ value: '10.1.0.0/16' });
    expect(checkIpRange('203.0.113.7')).toEqual({ value: '203.0.113.7/32' });
    expect(checkIpRange('2001:DB8::/32')).toEqual({ value: '2001:db8::/32' });
    expect(checkIpRange('2001:db8::1')).toEqual({ value: '2001:db8::1/128' });
    for (const bad of ['10.0.0.0/33', '2001:db8::/129', '10.0.0/8', 'example.gov.vn', '10.0.0.0/08', '']) {
      expect(checkIpRange(bad), bad).toHaveProperty('error');
    }
  });
});

describe('the security budget rule (at least a tenth)', () => {
  it.each([
    [1_000_000_000, 100_000_000, 0.1, false],
    [1_000_000_000, 99_999_999, 0.099999999, true],
    [1_000_000_000, 0, 0, true],
    [0, 0, null, false],
    [null, 5, null, false],
    [1e15, 1e14, 0.1, false],
  ])('total %s, security %s', (total, security, share, below) => {
    const measures = budgetMeasures({ currency: 'VND', total, security });
    expect(measures.securityBudgetBelowMinimum).toBe(below);
    if (share === null) expect(measures.securityBudgetShare).toBeNull();
    else expect(measures.securityBudgetShare).toBeCloseTo(share, 9);
  });
});
