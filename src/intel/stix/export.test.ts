import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Organization } from '../../core/model.js';
import { Scope } from '../../core/scope.js';
import { OrgTree } from '../../orgs/tree.js';
import { openSqliteStore } from '../../store/sqlite/open.js';
import type { Store } from '../../store/store.js';
import { importIntelFile } from '../importer.js';
import type { Indicator, Sighting } from '../model.js';
import { intelViewer } from '../tlp.js';
import { exportStixBundle, formatExportPosition, parseExportPosition, type StixExport, type StixExportOptions } from './export.js';
import { validateBundle, type StixObject } from './objects.js';
import { orgIdentityId } from './stored.js';
import { TLP2_MARKINGS } from './tlp.js';

const at = '2026-11-20T00:00:00.000Z';
const now = Date.parse('2026-11-25T12:00:00.000Z');
const system = Scope.system('STIX export test');
const org = (id: string, parentId: string | null, kind: Organization['kind']): Organization => ({ id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: at });
const orgs = [org('centre', null, 'national'), org('hn', 'centre', 'province'), org('hn-a', 'hn', 'agency'), org('hcm', 'centre', 'province'), org('firm', 'centre', 'alliance')];
const tree = new OrgTree(orgs);

let n = 0;
function indicator(id: string, patch: Partial<Indicator> = {}): Indicator {
  n++;
  const updatedAt = new Date(Date.parse(at) + n * 1000).toISOString();
  return {
    id, type: 'ipv4', value: `198.51.100.${n}`, source: 'test', confidence: 80, firstSeen: at, lastSeen: at, validUntil: null, killChain: ['lockheed-martin-cyber-kill-chain:delivery'],
    attack: ['T1190'], labels: ['scanner'], description: `fixture ${id}`, tlp: 'green', ownerOrgId: 'firm', sharedWith: [], stixId: null, revoked: false, createdAt: at, updatedAt, ...patch,
  };
}

const fixtures = (): Indicator[] => {
  n = 0;
  return [
    indicator('green', { value: '203.0.113.10' }),
    indicator('strict-hcm', { tlp: 'amber+strict', ownerOrgId: 'hcm', value: '203.0.113.20' }),
    indicator('amber-hn', { tlp: 'amber', ownerOrgId: 'hn', type: 'domain', value: 'phish.example' }),
    indicator('red-firm', { tlp: 'red', ownerOrgId: 'firm', sharedWith: ['hn'], value: '203.0.113.30' }),
    indicator('clear-hash', { tlp: 'clear', type: 'sha256', value: 'a'.repeat(64), ownerOrgId: 'centre' }),
    indicator('revoked', { revoked: true, value: '203.0.113.40' }),
    indicator('expired', { validUntil: '2026-11-21T00:00:00.000Z', value: '203.0.113.50' }),
  ];
};

const sighting = (indicatorId: string, orgId: string, eventSeq: number, eventTime: string): Sighting => ({ indicatorId, orgId, eventSeq, eventTime, field: 'source.ip', value: 'x' });

let store: Store;
beforeEach(() => {
  store = openSqliteStore({ path: ':memory:' });
  for (const o of orgs) store.orgs.create(system, o);
  store.indicators.upsert(system, fixtures());
  store.sightings.record(system, [
    sighting('green', 'hn', 1, '2026-11-22T01:00:00.000Z'),
    sighting('green', 'hn-a', 2, '2026-11-22T03:00:00.000Z'),
    sighting('green', 'hcm', 3, '2026-11-21T00:00:00.000Z'),
    sighting('green', 'centre', 4, '2026-11-24T00:00:00.000Z'),
    sighting('strict-hcm', 'hcm', 5, '2026-11-23T00:00:00.000Z'),
    sighting('red-firm', 'hn', 6, '2026-11-23T00:00:00.000Z'),
  ]);
});
afterEach(() => store.close());

const exportFor = (orgId: string, options: StixExportOptions = {}): StixExport =>
  exportStixBundle({ indicators: store.indicators, sightings: store.sightings, tree, now }, { viewer: intelViewer(orgId, tree), scope: Scope.subtree(orgId, tree) }, options);
const ofType = (e: StixExport, type: string): StixObject[] => e.bundle.objects.filter((o) => o.type === type);
const patternValues = (e: StixExport): string[] => ofType(e, 'indicator').map((o) => /= '([^']+)'\]$/.exec(String(o.pattern))?.[1] ?? '').sort();
const stixIdOf = (e: StixExport, value: string): string => ofType(e, 'indicator').find((o) => String(o.pattern).includes(`'${value}'`))?.id ?? '';
const sightingsOf = (e: StixExport, value: string) => ofType(e, 'sighting').filter((s) => s.sighting_of_ref === stixIdOf(e, value));

describe('STIX 2.1 bundle export', () => {
  it('builds a bundle whose every object passes the project’s own validation (§8)', () => {
    for (const reader of orgs) {
      const exported = exportFor(reader.id, { inactive: true });
      const checked = validateBundle(JSON.parse(JSON.stringify(exported.bundle)));
      expect(checked.rejected, `export for ${reader.id}`).toEqual([]);
      expect(checked.objects).toHaveLength(exported.bundle.objects.length);
    }
  });

  it('carries the referenced TLP 2.0 markings, the producers’ identities and the centre’s', () => {
    const exported = exportFor('centre');
    const ids = new Set(exported.bundle.objects.map((o) => o.id));
    for (const o of exported.bundle.objects) {
      for (const ref of (o.object_marking_refs as string[] | undefined) ?? []) expect(ids.has(ref), `${o.id} marking ${ref}`).toBe(true);
      if (typeof o.created_by_ref === 'string') expect(ids.has(o.created_by_ref), `${o.id} creator`).toBe(true);
      for (const ref of (o.where_sighted_refs as string[] | undefined) ?? []) expect(ids.has(ref), `${o.id} place`).toBe(true);
      if (o.type === 'sighting') expect(ids.has(String(o.sighting_of_ref))).toBe(true);
    }
    expect(ofType(exported, 'identity').map((o) => o.id).sort()).toEqual(['centre', 'firm', 'hcm', 'hn', 'hn-a'].map(orgIdentityId).sort());
    expect(exported.counts).toEqual({ indicators: 4, sightings: ofType(exported, 'sighting').length, identities: 5, markings: ofType(exported, 'marking-definition').length });
  });

  it('never lets an AMBER+STRICT indicator of one province into another province’s export, and never exports RED', () => {
    expect(patternValues(exportFor('hn'))).toEqual(['203.0.113.10', 'a'.repeat(64), 'phish.example'].sort());
    expect(patternValues(exportFor('hn-a'))).toEqual(['203.0.113.10', 'a'.repeat(64), 'phish.example'].sort()); // AMBER reaches the clients
    expect(patternValues(exportFor('hcm'))).toEqual(['203.0.113.10', '203.0.113.20', 'a'.repeat(64)].sort());
    expect(patternValues(exportFor('centre'))).toEqual(['203.0.113.10', '203.0.113.20', 'a'.repeat(64), 'phish.example'].sort()); // the chain above
    for (const reader of orgs) {
      const exported = exportFor(reader.id, { inactive: true });
      expect(patternValues(exported), reader.id).not.toContain('203.0.113.30'); // RED: not to the sharee, not to the owner
      expect(ofType(exported, 'marking-definition').map((m) => m.id)).not.toContain(TLP2_MARKINGS.red.id);
      if (reader.id !== 'hcm' && reader.id !== 'centre') expect(JSON.stringify(exported.bundle)).not.toContain('203.0.113.20');
    }
  });

  it('sums sightings per indicator and place, naming only organisations the reader may learn of', () => {
    const byPlace = (e: StixExport, value: string) => Object.fromEntries(sightingsOf(e, value).map((s) => [(s.where_sighted_refs as string[])[0], s]));
    const centre = byPlace(exportFor('centre'), '203.0.113.10');
    expect(Object.keys(centre).sort()).toEqual(['centre', 'hcm', 'hn', 'hn-a'].map(orgIdentityId).sort());
    expect(centre[orgIdentityId('hn')]).toMatchObject({ count: 1, first_seen: '2026-11-22T01:00:00.000Z', last_seen: '2026-11-22T01:00:00.000Z', object_marking_refs: [TLP2_MARKINGS.amber.id], created_by_ref: orgIdentityId('centre') });
    expect(centre[orgIdentityId('centre')]).toMatchObject({ count: 1, object_marking_refs: [TLP2_MARKINGS.green.id] });
    expect(centre[orgIdentityId('centre')]?.description).toBeUndefined();

    // Hanoi learns of its own subtree by name; Ho Chi Minh City's and the centre's sightings come as the centre's.
    const hanoi = byPlace(exportFor('hn'), '203.0.113.10');
    expect(Object.keys(hanoi).sort()).toEqual(['centre', 'hn', 'hn-a'].map(orgIdentityId).sort());
    expect(hanoi[orgIdentityId('centre')]).toMatchObject({ count: 2, first_seen: '2026-11-21T00:00:00.000Z', last_seen: '2026-11-24T00:00:00.000Z', object_marking_refs: [TLP2_MARKINGS.green.id] });
    expect(hanoi[orgIdentityId('centre')]?.description).toMatch(/not named/);
    const hanoiText = JSON.stringify(exportFor('hn').bundle);
    expect(hanoiText).not.toContain(orgIdentityId('hcm'));

    // The agency learns only of itself, and its province's sightings are not attributed to the province.
    const agency = byPlace(exportFor('hn-a'), '203.0.113.10');
    expect(Object.keys(agency).sort()).toEqual(['centre', 'hn-a'].map(orgIdentityId).sort());
    expect(agency[orgIdentityId('centre')]).toMatchObject({ count: 3 });
    const places = ofType(exportFor('hn-a'), 'sighting').flatMap((s) => s.where_sighted_refs as string[]);
    expect(places).not.toContain(orgIdentityId('hn'));
    expect(places).not.toContain(orgIdentityId('hcm'));

    // A sighting naming an organisation is at least AMBER: under a GREEN ceiling everything is the centre's.
    const green = exportFor('hn', { tlpMax: 'green' });
    expect(sightingsOf(green, '203.0.113.10').map((s) => [(s.where_sighted_refs as string[])[0], s.count])).toEqual([[orgIdentityId('centre'), 4]]);
    expect(patternValues(green)).not.toContain('phish.example');
  });

  it('keeps sighting ids stable per reader, indicator and place, and leaves sightings out when asked', () => {
    const ids = (e: StixExport) => ofType(e, 'sighting').map((s) => s.id).sort();
    expect(ids(exportFor('hn'))).toEqual(ids(exportFor('hn')));
    expect(ids(exportFor('hn'))).not.toEqual(ids(exportFor('hcm')));
    const without = exportFor('hn', { sightings: false });
    expect(ofType(without, 'sighting')).toEqual([]);
    expect(ofType(without, 'identity').map((o) => o.id)).not.toContain(orgIdentityId('hn-a'));
  });

  it('filters by type, by date added and by state, and bounds the size', () => {
    expect(patternValues(exportFor('centre', { types: ['domain', 'sha256'] }))).toEqual(['a'.repeat(64), 'phish.example'].sort());
    // Without `since` only what is in force; with it, revocations and expiries too (a consumer following changes).
    expect(patternValues(exportFor('centre'))).not.toContain('203.0.113.40');
    const since = Date.parse(at) + 4500; // after the first four fixtures
    const changed = exportFor('centre', { since });
    expect(patternValues(changed)).toEqual(['203.0.113.40', '203.0.113.50', 'a'.repeat(64)].sort());
    expect(ofType(changed, 'indicator').find((o) => String(o.pattern).includes('203.0.113.40'))?.revoked).toBe(true);
    expect(patternValues(exportFor('centre', { since, inactive: false }))).toEqual(['a'.repeat(64)]);

    const first = exportFor('centre', { limit: 2 });
    expect(first.counts.indicators).toBe(2);
    expect(first.truncated).toBe(true);
    const rest = exportFor('centre', { after: first.next ?? undefined });
    expect(rest.truncated).toBe(false);
    expect(rest.next).toBeNull();
    expect([...patternValues(first), ...patternValues(rest)].sort()).toEqual(patternValues(exportFor('centre')));
    expect(exportFor('centre', { limit: 1_000_000 }).truncated).toBe(false);
  });

  it('resumes exactly where it was cut, even inside a batch stamped with one time', () => {
    const batchTime = '2026-11-22T00:00:00.000Z';
    store.indicators.upsert(system, Array.from({ length: 25 }, (_, k) => indicator(`batch-${k}`, { value: `192.0.2.${k}`, updatedAt: batchTime, tlp: k % 2 === 0 ? 'green' : 'clear' })));
    const seen: string[] = [];
    let after: StixExportOptions['after'];
    for (let page = 0; page < 10; page++) {
      const exported = exportFor('centre', { limit: 4, ...(after ? { after } : {}) });
      seen.push(...patternValues(exported));
      if (!exported.next) break;
      after = exported.next;
    }
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen.sort()).toEqual(patternValues(exportFor('centre')));
  });

  it('reads and writes positions as text', () => {
    expect(parseExportPosition(formatExportPosition({ addedAt: 1_764_000_000_000, position: 42 }))).toEqual({ addedAt: 1_764_000_000_000, position: 42 });
    for (const bad of ['', '12', '12.', '.3', '1.2.3', '-1.2', 'a.b', '1234567890123456.1']) expect(parseExportPosition(bad), bad).toBeNull();
  });

  it('reports an indicator STIX cannot express instead of failing the export', () => {
    store.indicators.upsert(system, [indicator('odd', { value: '192.0.2.99', validUntil: at })]); // valid_until must be later than valid_from (§4.7)
    const exported = exportFor('centre', { inactive: true });
    expect(exported.skippedCount).toBe(1);
    expect(exported.skipped[0]).toMatchObject({ id: 'odd' });
    expect(validateBundle(exported.bundle).rejected).toEqual([]);
  });
});

describe('export round trip', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports into a fresh store as the same indicators', async () => {
    const exported = exportFor('centre');
    const file = join(dir, 'bundle.json');
    writeFileSync(file, JSON.stringify(exported.bundle));
    const other = openSqliteStore({ path: ':memory:' });
    try {
      other.orgs.create(system, org('peer', null, 'national'));
      const summary = await importIntelFile(file, { format: 'auto', ownerOrgId: 'peer', upsert: (batch) => other.indicators.upsert(system, batch) });
      expect(summary.errors).toEqual([]);
      expect(summary.imported).toEqual({ added: 4, updated: 0 });
      expect(summary.skipped).toMatchObject({ 'stix-object:sighting': exported.counts.sightings, 'stix-object:identity': 5 });
      const shape = (i: Indicator) => ({ type: i.type, value: i.value, tlp: i.tlp, confidence: i.confidence, validUntil: i.validUntil, revoked: i.revoked, labels: i.labels, killChain: i.killChain, attack: i.attack, description: i.description, firstSeen: i.firstSeen });
      const byValue = (a: { value: string }, b: { value: string }) => a.value.localeCompare(b.value);
      const imported = other.indicators.list(intelViewer('peer', new OrgTree(other.orgs.list(system))), { now, limit: 100, all: true }).items.map(shape).sort(byValue);
      const original = store.indicators.list(intelViewer('centre', tree), { now, limit: 100 }).items.map(shape).sort(byValue);
      expect(imported).toEqual(original);
      expect(other.indicators.list(intelViewer('peer', new OrgTree(other.orgs.list(system))), { now, limit: 100, all: true }).items.find((i) => i.value === '203.0.113.10')?.source).toBe('stix:firm (FIRM)');
    } finally {
      other.close();
    }
  });
});
