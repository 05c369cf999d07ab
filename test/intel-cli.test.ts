/**
 * `vigil intel import` as an operator runs it (the built CLI, `npm run build` first) against a
 * data directory whose store another connection holds open, as a running centre does: plain lists,
 * MISP feeds imported incrementally across runs, and the errors an operator can make.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../src/core/scope.js';
import { intelViewer } from '../src/intel/tlp.js';
import { OrgTree } from '../src/orgs/tree.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqlite/open.js';

const run = promisify(execFile);
const main = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');
const system = Scope.system('test: the intel CLI suite');
const at = '2026-11-01T00:00:00.000Z';

let dir: string;
let dataDir: string;
let store: SqliteStore;

async function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { VIGIL_CONFIG: _ignored, ...env } = process.env;
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function listAll(orgId: string) {
  const tree = new OrgTree(store.orgs.list(system));
  return store.indicators.list(intelViewer(orgId, tree), { now: Date.now(), limit: 1000, all: true }).items;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-intel-cli-'));
  dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  // Held open for the whole suite, like a running centre's connection.
  store = openSqliteStore({ path: join(dataDir, 'vigil.db'), synchronous: 'normal' });
  store.orgs.create(system, { id: 'org_root', parentId: null, code: 'NCSC', nameVi: 'Trung tâm quốc gia', nameEn: 'National centre', kind: 'national', sector: null, region: null, demo: false, createdAt: at });
  store.orgs.create(system, { id: 'org_hn', parentId: 'org_root', code: 'HN', nameVi: 'Hà Nội', nameEn: 'Hanoi', kind: 'province', sector: null, region: null, demo: false, createdAt: at });
});

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigil intel import', () => {
  it('is listed in --help', async () => {
    const { stdout } = await vigil(['intel', '--help']);
    expect(stdout).toContain('import');
  });

  it('imports a plain list for the national centre and prints the summary as JSON', async () => {
    const file = join(dir, 'blocklist.txt');
    writeFileSync(file, '# made-up blocklist\n203.0.113.10\n203.0.113.11 # scanner\nbad.example.org\nnot valid!\n');
    const { code, stdout, stderr } = await vigil(['intel', 'import', file, '--data-dir', dataDir, '--tlp', 'green', '--source', 'feed:test-blocklist']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ format: 'text', ownerOrgId: 'org_root', read: 4, imported: { added: 3, updated: 0 }, errorCount: 1, errors: [{ where: 'line 5' }] });
    const stored = listAll('org_root').filter((i) => i.source === 'feed:test-blocklist');
    expect(stored.map((i) => `${i.type} ${i.value} ${i.tlp}`).sort()).toEqual(['domain bad.example.org green', 'ipv4 203.0.113.10 green', 'ipv4 203.0.113.11 green']);
  });

  it('imports a MISP feed for an organisation by code, then only what changed', async () => {
    const feed = join(dir, 'feed');
    mkdirSync(feed);
    const event = (uuid: string, ts: number, value: string) => JSON.stringify({ Event: { uuid, info: 'made-up', date: '2026-11-01', timestamp: String(ts), threat_level_id: '1', analysis: '2', Orgc: { name: 'Alliance-X' }, Tag: [{ name: 'tlp:amber' }], Attribute: [{ uuid: `${uuid.slice(0, -1)}f`, type: 'domain', value, to_ids: true, timestamp: String(ts) }] } });
    const one = '22222222-bbbb-4bbb-8bbb-000000000001';
    const two = '22222222-bbbb-4bbb-8bbb-000000000002';
    writeFileSync(join(feed, 'manifest.json'), JSON.stringify({ [one]: { info: 'made-up', timestamp: '1793000000' } }));
    writeFileSync(join(feed, `${one}.json`), event(one, 1793000000, 'c2-one.example.net'));
    const args = ['intel', 'import', feed, '--data-dir', dataDir, '--org', 'HN'];
    const first = await vigil(args);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ format: 'misp-feed', ownerOrgId: 'org_hn', imported: { added: 1 }, since: 1793000000 });

    const again = await vigil(args);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 0, imported: { added: 0, updated: 0 }, skipped: { 'unchanged-event': 1 } });

    writeFileSync(join(feed, 'manifest.json'), JSON.stringify({ [one]: { info: 'made-up', timestamp: '1793000000' }, [two]: { info: 'made-up', timestamp: '1793000600' } }));
    writeFileSync(join(feed, `${two}.json`), event(two, 1793000600, 'c2-two.example.net'));
    const third = await vigil(args);
    expect(JSON.parse(third.stdout)).toMatchObject({ imported: { added: 1 }, since: 1793000600 });

    const stored = listAll('org_hn').filter((i) => i.source === 'misp:Alliance-X');
    expect(stored.map((i) => `${i.value} ${i.ownerOrgId} ${i.tlp} ${i.confidence}`).sort()).toEqual(['c2-one.example.net org_hn amber 90', 'c2-two.example.net org_hn amber 90']);
  });

  it.each([
    [['intel', 'import', 'missing.txt'], 'cannot read missing.txt: no such file or directory'],
    [['intel', 'import', '@file', '--org', 'NOPE'], 'unknown organisation NOPE'],
    [['intel', 'import', '@file', '--format', 'yaml'], 'unknown format yaml'],
    [['intel', 'import', '@file', '--tlp', 'purple'], 'unknown TLP purple'],
    [['intel', 'import', '@json', '--format', 'stix'], 'is not a STIX 2.1 bundle'],
  ])('fails with a clear message: %j', async (args, message) => {
    writeFileSync(join(dir, 'ok.txt'), '192.0.2.1\n');
    writeFileSync(join(dir, 'x.json'), '{"a": 1}');
    const resolved = args.map((a) => (a === '@file' ? join(dir, 'ok.txt') : a === '@json' ? join(dir, 'x.json') : a));
    const { code, stderr, stdout } = await vigil([...resolved, '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('refuses a data directory without a store', async () => {
    const { code, stderr } = await vigil(['intel', 'import', join(dir, 'ok.txt'), '--data-dir', join(dir, 'empty')]);
    expect(code).toBe(1);
    expect(stderr).toContain('no Vigil store at');
  });
});
