import { describe, expect, it } from 'vitest';
import { VigilError } from '../core/errors.js';
import type { OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import { OrgTree } from './tree.js';

const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id, nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: '2026-11-25T00:00:00.000Z',
});

const tree = new OrgTree([
  org('ncsc', null, 'national'),
  org('byt', 'ncsc', 'ministry'),
  org('byt-kcb', 'byt', 'agency'),
  org('hn', 'ncsc', 'province'),
  org('hn-dvc', 'hn', 'agency'),
  org('hn-skhcn', 'hn', 'agency'),
  org('hcm', 'ncsc', 'province'),
  org('viettel', 'ncsc', 'alliance'),
]);

describe('OrgTree and Scope', () => {
  it('gives each organisation its subtree', () => {
    expect([...tree.subtreeIds('hn')].sort()).toEqual(['hn', 'hn-dvc', 'hn-skhcn']);
    expect([...tree.subtreeIds('byt')].sort()).toEqual(['byt', 'byt-kcb']);
    expect(tree.subtreeIds('unknown')).toEqual([]);
  });

  it('walks the chain of command upwards', () => {
    expect(tree.ancestors('hn-dvc').map((o) => o.id)).toEqual(['hn-dvc', 'hn', 'ncsc']);
  });

  it('scopes a province to itself and its agencies', () => {
    const scope = Scope.subtree('hn', tree);
    expect(scope.includes('hn-dvc')).toBe(true);
    expect(scope.includes('hcm')).toBe(false);
    expect(scope.includes('ncsc')).toBe(false);
    expect(scope.unrestricted).toBe(false);
    expect(() => scope.assertIncludes('hcm')).toThrow(VigilError);
  });

  it('leaves the national centre unrestricted and an alliance member alone with itself', () => {
    expect(Scope.subtree('ncsc', tree).unrestricted).toBe(true);
    expect(Scope.subtree('viettel', tree).orgIds()).toEqual(['viettel']);
  });

  it('narrows only inside the scope', () => {
    const ministry = Scope.subtree('byt', tree);
    expect(ministry.narrow('byt-kcb', tree).orgIds()).toEqual(['byt-kcb']);
    expect(() => ministry.narrow('hn', tree)).toThrow(/outside your scope/);
  });

  it('gives a sensor exactly one organisation', () => {
    const scope = Scope.single('hn-dvc');
    expect(scope.includes('hn-dvc')).toBe(true);
    expect(scope.includes('hn')).toBe(false);
  });
});
