import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config.js';
import { Scope } from '../core/scope.js';
import type { Indicator } from '../intel/model.js';
import { validateBundle } from '../intel/stix/objects.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import { intelExportCommand, intelStatsCommand, type CommandOutput } from './intel.js';

const system = Scope.system('intel CLI test');
const at = '2026-11-01T00:00:00.000Z';
let dir: string;
let deps: { load: () => ReturnType<typeof loadConfig> };

function indicator(id: string, patch: Partial<Indicator>): Indicator {
  return { id, type: 'ipv4', value: '203.0.113.1', source: 'feed:test', confidence: 70, firstSeen: at, lastSeen: at, validUntil: null, killChain: [], attack: [], labels: [], description: null, tlp: 'green', ownerOrgId: 'org_root', sharedWith: [], stixId: null, revoked: false, createdAt: at, updatedAt: at, ...patch };
}

function capture(): CommandOutput & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: (t) => out.push(t), warn: (t) => err.push(t) };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-intel-cli-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const store = openSqliteStore({ path: join(dataDir, 'vigil.db') });
  try {
    store.orgs.create(system, { id: 'org_root', parentId: null, code: 'NCSC', nameVi: 'Trung tâm quốc gia', nameEn: 'National centre', kind: 'national', sector: null, region: null, demo: false, createdAt: at });
    store.orgs.create(system, { id: 'org_hn', parentId: 'org_root', code: 'HN', nameVi: 'Hà Nội', nameEn: 'Hanoi', kind: 'province', sector: null, region: null, demo: false, createdAt: at });
    store.indicators.upsert(system, [
      indicator('ind_1', {}),
      indicator('ind_2', { type: 'domain', value: 'phish.example', tlp: 'amber', ownerOrgId: 'org_hn', updatedAt: '2026-11-02T00:00:00.000Z' }),
      indicator('ind_3', { value: '203.0.113.3', tlp: 'red', ownerOrgId: 'org_hn' }),
      indicator('ind_4', { value: '203.0.113.4', revoked: true, source: 'analyst:usr_1' }),
    ]);
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    store.sightings.record(system, [
      { indicatorId: 'ind_1', orgId: 'org_hn', eventSeq: 1, eventTime: recent, field: 'source.ip', value: '203.0.113.1' },
      { indicatorId: 'ind_1', orgId: 'org_hn', eventSeq: 2, eventTime: recent, field: 'source.ip', value: '203.0.113.1' },
    ]);
  } finally {
    store.close();
  }
  const config = loadConfig({ text: `dataDir: ${JSON.stringify(dataDir)}\ndemo: { enabled: false }`, env: {} });
  deps = { load: () => config };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('vigil intel export', () => {
  it('writes a valid STIX 2.1 bundle of what the centre may let out, never RED, and prints a summary', () => {
    const io = capture();
    const out = join(dir, 'export.json');
    intelExportCommand({ out, sightings: true }, deps, io);
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as unknown;
    expect(validateBundle(bundle).rejected).toEqual([]);
    const text = JSON.stringify(bundle);
    expect(text).toContain("[ipv4-addr:value = '203.0.113.1']");
    expect(text).toContain("[domain-name:value = 'phish.example']");
    expect(text).not.toContain('203.0.113.3'); // RED
    expect(text).not.toContain('203.0.113.4'); // revoked, and no --since or --all
    expect(existsSync(`${out}.partial`)).toBe(false);
    const summary = JSON.parse(io.out.join('')) as Record<string, unknown>;
    expect(summary).toMatchObject({ out, indicators: 2, sightings: 1, truncated: false, skipped: 0 });
    expect(io.err).toEqual([]);
  });

  it('filters by TLP, time and sightings, and writes to standard output without --out', () => {
    const io = capture();
    intelExportCommand({ tlp: 'green', since: '2026-10-01T00:00:00Z', sightings: false }, deps, io);
    const bundle = JSON.parse(io.out.join('')) as { objects: { type: string; pattern?: string; revoked?: boolean }[] };
    expect(bundle.objects.filter((o) => o.type === 'indicator').map((o) => [o.pattern, o.revoked ?? false])).toEqual([
      ["[ipv4-addr:value = '203.0.113.1']", false],
      ["[ipv4-addr:value = '203.0.113.4']", true], // --since brings revocations
    ]);
    expect(bundle.objects.filter((o) => o.type === 'sighting')).toEqual([]);
    expect(JSON.parse(io.err.join(''))).toMatchObject({ indicators: 2, sightings: 0 });
  });

  it('says when the limit cut the export short', () => {
    const io = capture();
    intelExportCommand({ limit: '1', sightings: true }, deps, io);
    const message = /more indicators than --limit 1: run again with the same options and --next (\S+)/.exec(io.err.join(''));
    expect(message).not.toBeNull();
    const rest = capture();
    intelExportCommand({ limit: '1', next: message?.[1] ?? '', sightings: true }, deps, rest);
    const first = JSON.parse(io.out.join('')) as { objects: { type: string; pattern?: string }[] };
    const second = JSON.parse(rest.out.join('')) as { objects: { type: string; pattern?: string }[] };
    const patterns = (b: typeof first) => b.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
    expect([...patterns(first), ...patterns(second)].sort()).toEqual(["[domain-name:value = 'phish.example']", "[ipv4-addr:value = '203.0.113.1']"]);
    expect(rest.err.join('')).not.toMatch(/more indicators/);
  });

  it.each([
    [{ tlp: 'red' }, /TLP:RED is never exported/],
    [{ tlp: 'purple' }, /--tlp must be one of clear, green, amber, amber\+strict/],
    [{ since: 'yesterday' }, /--since must be an ISO 8601 time/],
    [{ types: 'ipv4,ipv5' }, /unknown indicator type ipv5/],
    [{ limit: '100001' }, /--limit must be an integer 1–100000/],
    [{ limit: '0' }, /--limit must be an integer/],
    [{ next: '2026-11-01' }, /--next must be the position an earlier export printed/],
  ])('refuses %o', (bad, message) => {
    expect(() => intelExportCommand({ sightings: true, ...bad }, deps, capture())).toThrow(message);
  });
});

describe('vigil intel stats', () => {
  it('prints aligned tables of the centre’s figures', () => {
    const io = capture();
    intelStatsCommand({}, deps, io);
    const lines = io.out.join('').split('\n');
    expect(lines).toContain('By type');
    const header = lines.find((l) => l.startsWith('  type')) ?? '';
    const ipv4 = lines.find((l) => l.startsWith('  ipv4')) ?? '';
    expect(ipv4.length).toBe(header.length); // the totals line up under their headings
    expect(ipv4.split(/\s+/).filter(Boolean)).toEqual(['ipv4', '1', '0', '1', '2']); // RED is not the centre's to see
    expect(lines.some((l) => /^ {2}TLP:AMBER\s+1\s+0\s+0\s+1$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}sightings\s+2\s+2$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ +2 {2}\S+ {2}TLP:GREEN {2}ipv4 {2}203\.0\.113\.1$/.test(l))).toBe(true);
  });

  it('prints JSON with --json, and refuses a bad --top', () => {
    const io = capture();
    intelStatsCommand({ json: true, top: '5' }, deps, io);
    const stats = JSON.parse(io.out.join('')) as { indicators: { total: Record<string, number>; bySource: { source: string }[] } };
    expect(stats.indicators.total).toEqual({ active: 2, expired: 0, revoked: 1, total: 3 });
    expect(stats.indicators.bySource.map((s) => s.source)).toEqual(['feed:test', 'analyst:usr_1']);
    expect(() => intelStatsCommand({ top: '0' }, deps, capture())).toThrow(/--top must be an integer 1–100/);
  });
});
