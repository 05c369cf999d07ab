/**
 * @module demo/tree.test
 * Checks the demo organisation tree: 34 provincial-level units (6 cities), unique codes, parents before children, portals and names in both languages.
 */
import { describe, expect, it } from 'vitest';
import { demoRootCode, demoTree } from './tree.js';

describe('demoTree', () => {
  it('has exactly 34 provincial-level units, 6 of them centrally-run cities', () => {
    const provinces = demoTree.filter((org) => org.kind === 'province');
    expect(provinces).toHaveLength(34);
    expect(provinces.filter((org) => org.nameVi.startsWith('Thành phố '))).toHaveLength(6);
    expect(provinces.filter((org) => org.nameVi.startsWith('Tỉnh '))).toHaveLength(28);
    for (const province of provinces) {
      expect(province.region).toMatch(/^(north|central|south)$/);
      expect(province.nameEn).toMatch(/^[A-Za-z ]+$/); // English names without diacritics
    }
  });

  it('has unique codes and every parent exists before its children', () => {
    const seen = new Set<string>();
    for (const org of demoTree) {
      expect(seen.has(org.code), org.code).toBe(false);
      if (org.parentCode !== null) expect(seen.has(org.parentCode), `${org.code} → ${org.parentCode}`).toBe(true);
      seen.add(org.code);
    }
  });

  it('has one national root; ministries, sectors, provinces and alliance members hang from it', () => {
    const roots = demoTree.filter((org) => org.parentCode === null);
    expect(roots.map((org) => [org.code, org.kind])).toEqual([[demoRootCode, 'national']]);
    for (const org of demoTree) {
      if (['ministry', 'sector', 'province', 'alliance'].includes(org.kind)) expect(org.parentCode).toBe(demoRootCode);
    }
    expect(demoTree.filter((org) => org.kind === 'ministry')).toHaveLength(17);
  });

  it('gives every agency a portal and every organisation names in both languages', () => {
    for (const org of demoTree) {
      expect(org.nameVi.trim(), org.code).not.toBe('');
      expect(org.nameEn.trim(), org.code).not.toBe('');
      if (org.kind === 'agency') {
        expect(org.portals.length, org.code).toBeGreaterThan(0);
        for (const host of org.portals) expect(host).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
      }
    }
    expect(demoTree.find((org) => org.portals.includes('dichvucong.gov.vn'))?.parentCode).toBe('VN-VPCP');
  });

  it('labels alliance members as demo in their names', () => {
    for (const org of demoTree.filter((o) => o.kind === 'alliance')) {
      expect(org.nameEn).toContain('(demo)');
      expect(org.nameVi).toContain('(demo)');
    }
  });
});
