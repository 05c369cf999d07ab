import { describe, expect, it } from 'vitest';
import type { Organization, OrgKind } from '../core/model.js';
import { OrgTree } from '../orgs/tree.js';
import type { Tlp } from './model.js';
import { formatTlp, maySee, mayShare, parseTlp, stricter } from './tlp.js';

const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id, nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: '2026-11-25T00:00:00.000Z',
});

// centre ─┬─ hn (province) ── hn-a (agency)
//         ├─ hcm (province) ── hcm-a (agency)
//         └─ firm (alliance member)
const tree = new OrgTree([
  org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hn-a', 'hn', 'agency'),
  org('hcm', 'centre', 'province'), org('hcm-a', 'hcm', 'agency'), org('firm', 'centre', 'alliance'),
]);
const everyone = ['centre', 'hn', 'hn-a', 'hcm', 'hcm-a', 'firm'];
const seenBy = (tlp: Tlp, owner: string, sharedWith: string[] = []) => everyone.filter((v) => maySee({ tlp, ownerOrgId: owner, sharedWith }, v, tree));

describe('TLP 2.0 over the organisation tree', () => {
  it('CLEAR and GREEN reach every organisation', () => {
    expect(seenBy('clear', 'hn-a')).toEqual(everyone);
    expect(seenBy('green', 'firm')).toEqual(everyone);
  });

  it('AMBER: the owner, its clients, the named organisations’ subtrees, and the chain above', () => {
    expect(seenBy('amber', 'hn')).toEqual(['centre', 'hn', 'hn-a']);
    expect(seenBy('amber', 'firm', ['hcm'])).toEqual(['centre', 'hcm', 'hcm-a', 'firm']);
  });

  it('AMBER+STRICT: a province sees no AMBER+STRICT indicator of another province, nor do its own agencies', () => {
    expect(seenBy('amber+strict', 'hcm')).toEqual(['centre', 'hcm']);
    expect(maySee({ tlp: 'amber+strict', ownerOrgId: 'hcm', sharedWith: [] }, 'hn', tree)).toBe(false);
    expect(seenBy('amber+strict', 'firm', ['hn'])).toEqual(['centre', 'hn', 'firm']);
  });

  it('RED: the owner and the named recipients only — not even the centre', () => {
    expect(seenBy('red', 'hn-a')).toEqual(['hn-a']);
    expect(seenBy('red', 'firm', ['hcm'])).toEqual(['hcm', 'firm']);
  });

  it('passes on only what the recipient may see, and RED only by its owner', () => {
    const amber = { tlp: 'amber' as const, ownerOrgId: 'hn', sharedWith: [] };
    expect(mayShare(amber, 'centre', 'hn-a', tree)).toBe(true);
    expect(mayShare(amber, 'centre', 'hcm', tree)).toBe(false);
    const red = { tlp: 'red' as const, ownerOrgId: 'firm', sharedWith: ['hcm', 'hn'] };
    expect(mayShare(red, 'hcm', 'hn', tree)).toBe(false);
    expect(mayShare(red, 'firm', 'hn', tree)).toBe(true);
    expect(mayShare(red, 'firm', 'centre', tree)).toBe(false);
  });

  it('reads and writes the marks', () => {
    expect(parseTlp('TLP:AMBER+STRICT')).toBe('amber+strict');
    expect(parseTlp('tlp:white')).toBe('clear');
    expect(parseTlp(' green ')).toBe('green');
    expect(parseTlp('TLP:ORANGE')).toBeNull();
    expect(formatTlp('amber+strict')).toBe('TLP:AMBER+STRICT');
    expect(stricter('green', 'red')).toBe('red');
    expect(stricter('amber+strict', 'amber')).toBe('amber+strict');
  });
});
