/**
 * @module demo/seed.test
 * Checks seedDemo on an in-memory SQLite store: the tree, users and sensors it creates, the credentials file, idempotency, and key rotation when the file is gone.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { digestSecret } from '../core/ids.js';
import { Scope } from '../core/scope.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import type { Store } from '../store/store.js';
import { demoCredentialsPath, readDemoCredentials } from './credentials-file.js';
import { demoJsonMappings, demoSensorSpecs, demoUserSpecs, formatDemoBanner, seedDemo } from './seed.js';
import { demoTree } from './tree.js';

const scope = Scope.system('test');
const clock = new ManualClock(Date.UTC(2025, 6, 1, 2, 30, 0));
// Argon2 is slow on purpose; the seed only needs a function of the password.
const hashed: string[] = [];
const hashPassword = async (password: string): Promise<string> => {
  hashed.push(password);
  return `test$${createHash('sha256').update(password).digest('hex')}`;
};
const hashOf = (password: string): string => `test$${createHash('sha256').update(password).digest('hex')}`;

const open: Store[] = [];
const dirs: string[] = [];
function fresh(): { store: Store; dataDir: string } {
  const store = openSqliteStore({ path: ':memory:', clock });
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-demo-'));
  open.push(store);
  dirs.push(dataDir);
  return { store, dataDir };
}
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  hashed.length = 0;
});

describe('seedDemo', () => {
  it('creates the tree, users and sensors, all labelled demo, and the credentials file', async () => {
    const { store, dataDir } = fresh();
    const seed = await seedDemo(store, { dataDir, hashPassword, clock });

    const orgs = store.orgs.list(scope);
    expect(orgs).toHaveLength(demoTree.length);
    expect(orgs.filter((o) => o.kind === 'province')).toHaveLength(34);
    expect(orgs.every((o) => o.demo)).toBe(true);
    const root = store.orgs.getByCode(scope, 'VN-NCSC');
    expect(root?.parentId).toBeNull();
    expect(store.orgs.getByCode(scope, 'VN-HN-TTPVHCC')?.parentId).toBe(store.orgs.getByCode(scope, 'VN-HN')?.id);

    expect(seed.users.map((u) => u.username)).toEqual(demoUserSpecs.map((u) => u.username));
    for (const user of seed.users) {
      expect(user.password).toMatch(/^[A-Za-z0-9]{16}$/);
      const found = store.users.findCredentials(scope, user.username);
      expect(found?.passwordHash).toBe(hashOf(user.password));
      expect(found?.demo).toBe(true);
      expect(found?.orgId).toBe(store.orgs.getByCode(scope, user.orgCode)?.id);
    }
    expect(seed.users.find((u) => u.username === 'admin')).toMatchObject({ role: 'admin', orgCode: 'VN-NCSC', orgNameEn: 'National Cyber Security Monitoring Centre' });

    expect(seed.sensors).toHaveLength(demoSensorSpecs.length);
    for (const sensor of seed.sensors) {
      const found = store.sensors.findByKeyDigest(scope, digestSecret(sensor.key));
      expect(found?.id).toBe(sensor.sensorId);
      expect(found?.keyPrefix).toBe(sensor.key.slice(0, 12));
      expect(found?.demo).toBe(true);
      expect(sensor.key.startsWith('vgs_')).toBe(true);
    }
    const syslog = seed.sensors.filter((s) => s.transport === 'syslog');
    expect(syslog).toHaveLength(1);
    expect(store.sensors.get(scope, syslog[0]?.sensorId ?? '')).toMatchObject({ format: null, syslogSources: ['127.0.0.1', '::1'] });
    const sso = seed.sensors.find((s) => s.format === 'json');
    expect(store.sensors.get(scope, sso?.sensorId ?? '')?.jsonMapping).toBe('sso');
    expect(demoJsonMappings['sso']?.['user.name']).toBe('username');
    expect(seed.sensors.filter((s) => s.format === 'w3c')).toHaveLength(1);
    expect(seed.sensors.filter((s) => s.format === 'windows').length).toBeGreaterThanOrEqual(2);

    const path = demoCredentialsPath(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = readDemoCredentials(dataDir);
    expect(file?.users.map((u) => u.password)).toEqual(seed.users.map((u) => u.password));
    expect(file?.sensors.map((s) => s.key)).toEqual(seed.sensors.map((s) => s.key));
  });

  it('is idempotent: a second start returns the same secrets and creates nothing', async () => {
    const { store, dataDir } = fresh();
    const first = await seedDemo(store, { dataDir, hashPassword, clock });
    const hashes = hashed.length;
    const second = await seedDemo(store, { dataDir, hashPassword, clock });
    expect(second).toEqual(first);
    expect(hashed.length).toBe(hashes); // nothing re-hashed
    expect(store.orgs.list(scope)).toHaveLength(demoTree.length);
    expect(store.users.list(scope)).toHaveLength(demoUserSpecs.length);
    expect(store.sensors.list(scope)).toHaveLength(demoSensorSpecs.length);
  });

  it('rotates sensor keys and resets passwords when the credentials file is gone', async () => {
    const { store, dataDir } = fresh();
    const first = await seedDemo(store, { dataDir, hashPassword, clock });
    unlinkSync(demoCredentialsPath(dataDir));
    const second = await seedDemo(store, { dataDir, hashPassword, clock });
    expect(store.sensors.list(scope)).toHaveLength(demoSensorSpecs.length);
    expect(store.users.list(scope)).toHaveLength(demoUserSpecs.length);
    for (const [i, sensor] of second.sensors.entries()) {
      expect(sensor.sensorId).toBe(first.sensors[i]?.sensorId);
      expect(sensor.key).not.toBe(first.sensors[i]?.key);
      expect(store.sensors.findByKeyDigest(scope, digestSecret(first.sensors[i]?.key ?? ''))).toBeNull();
      expect(store.sensors.findByKeyDigest(scope, digestSecret(sensor.key))?.id).toBe(sensor.sensorId);
    }
    for (const user of second.users) {
      expect(user.password).not.toBe(first.users.find((u) => u.username === user.username)?.password);
      expect(store.users.findCredentials(scope, user.username)?.passwordHash).toBe(hashOf(user.password));
    }
    expect(readDemoCredentials(dataDir)?.sensors.map((s) => s.key)).toEqual(second.sensors.map((s) => s.key));
  });

  it('reuses the file’s secrets on a fresh store (the database was removed, the file kept)', async () => {
    const { store, dataDir } = fresh();
    const first = await seedDemo(store, { dataDir, hashPassword, clock });
    const other = openSqliteStore({ path: ':memory:', clock });
    open.push(other);
    const again = await seedDemo(other, { dataDir, hashPassword, clock });
    expect(again.sensors.map((s) => s.key)).toEqual(first.sensors.map((s) => s.key));
    expect(again.users.map((u) => u.password)).toEqual(first.users.map((u) => u.password));
    expect(readDemoCredentials(dataDir)?.sensors.map((s) => s.sensorId)).toEqual(again.sensors.map((s) => s.sensorId));
  });
});

describe('formatDemoBanner', () => {
  it('gives the URL, every user’s credentials and the demo notice in both languages', async () => {
    const { store, dataDir } = fresh();
    const seed = await seedDemo(store, { dataDir, hashPassword, clock });
    const banner = formatDemoBanner(seed, 'http://localhost:8080');
    expect(banner).toContain('http://localhost:8080');
    for (const user of seed.users) {
      expect(banner).toContain(user.username);
      expect(banner).toContain(user.password);
    }
    expect(banner).toContain('DEMO DATA');
    expect(banner).toContain('DỮ LIỆU TRÌNH DIỄN');
    for (const sensor of seed.sensors) expect(banner).not.toContain(sensor.key);
  });
});
