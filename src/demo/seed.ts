/**
 * @module demo/seed
 * Seeds demo mode: the organisation tree of `tree.ts`, demo users with random passwords and demo
 * sensors with fresh keys, all labelled `demo`. Idempotent: a later start finds what exists and
 * reads the passwords and keys back from `<dataDir>/demo-credentials.json`; whatever the file cannot
 * vouch for (it is missing, or a key no longer matches) is reset — passwords re-hashed, sensor keys
 * rotated — and the file rewritten. Keys are stored as SHA-256 digests, never in clear.
 */
import { randomInt } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { digestSecret, newId, newSecret } from '../core/ids.js';
import type { Role, Sensor } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import type { DemoCredentialsFile } from './credentials-file.js';
import { readDemoCredentials, writeDemoCredentials } from './credentials-file.js';
import { demoTree } from './tree.js';

export { formatDemoBanner } from './banner.js';
export { demoJsonMappings } from './official-logins.js';

export interface DemoSeed {
  users: { username: string; password: string; role: Role; orgCode: string; orgNameEn: string }[];
  sensors: {
    sensorId: string;
    name: string;
    orgId: string;
    orgCode: string;
    key: string;
    format: string | null;
    transport: 'http' | 'syslog';
    portalHost?: string;
  }[];
}

export interface DemoUserSpec {
  username: string;
  displayName: string;
  role: Role;
  orgCode: string;
  locale: 'vi' | 'en';
}

export const demoUserSpecs: readonly DemoUserSpec[] = [
  { username: 'admin', displayName: 'Quản trị hệ thống (demo)', role: 'admin', orgCode: 'VN-NCSC', locale: 'vi' },
  { username: 'analyst', displayName: 'Chuyên viên phân tích (demo)', role: 'analyst', orgCode: 'VN-NCSC', locale: 'en' },
  { username: 'bca.operator', displayName: 'Trực ban SOC Bộ Công an (demo)', role: 'operator', orgCode: 'VN-BCA', locale: 'vi' },
  { username: 'hanoi.operator', displayName: 'Trực ban SOC Hà Nội (demo)', role: 'operator', orgCode: 'VN-HN', locale: 'vi' },
  { username: 'hcm.operator', displayName: 'Trực ban SOC TP. Hồ Chí Minh (demo)', role: 'operator', orgCode: 'VN-HCM', locale: 'vi' },
  { username: 'agency.viewer', displayName: 'Cán bộ CNTT TTPVHCC Hà Nội (demo)', role: 'viewer', orgCode: 'VN-HN-TTPVHCC', locale: 'vi' },
];

export interface DemoSensorSpec {
  name: string;
  orgCode: string;
  format: string | null;
  transport: 'http' | 'syslog';
  portalHost?: string;
  jsonMapping?: string;
  timezone?: string;
  syslogSources?: string[];
}

const portal = (orgCode: string, portalHost: string, format: 'nginx' | 'apache' | 'w3c'): DemoSensorSpec => ({
  name: `${portalHost} (${format === 'w3c' ? 'IIS W3C' : format})`,
  orgCode,
  format,
  transport: 'http',
  portalHost,
  // IIS writes W3C logs in UTC whatever the server's zone.
  ...(format === 'w3c' ? { timezone: '+00:00' } : {}),
});

export const demoSensorSpecs: readonly DemoSensorSpec[] = [
  portal('VN-VPCP-CKSTTHC', 'dichvucong.gov.vn', 'nginx'),
  portal('VN-BCA-C06', 'dichvucong.bocongan.gov.vn', 'nginx'),
  portal('VN-BTC-CT', 'thuedientu.gdt.gov.vn', 'w3c'),
  portal('VN-BHXH', 'dichvucong.baohiemxahoi.gov.vn', 'nginx'),
  portal('VN-HN-TTPVHCC', 'dichvucong.hanoi.gov.vn', 'nginx'),
  portal('VN-HCM-TTPVHCC', 'dichvucong.hochiminhcity.gov.vn', 'apache'),
  portal('VN-DNG-TTPVHCC', 'dichvucong.danang.gov.vn', 'nginx'),
  portal('VN-HP-TTPVHCC', 'dichvucong.haiphong.gov.vn', 'nginx'),
  portal('VN-HUE-TTPVHCC', 'dichvucong.hue.gov.vn', 'apache'),
  portal('VN-CT-TTPVHCC', 'dichvucong.cantho.gov.vn', 'nginx'),
  portal('VN-QN-TTPVHCC', 'dichvucong.quangninh.gov.vn', 'nginx'),
  portal('VN-NA-TTPVHCC', 'dichvucong.nghean.gov.vn', 'apache'),
  { name: 'Domain controllers Bộ Công an (winlogbeat)', orgCode: 'VN-BCA', format: 'windows', transport: 'http' },
  { name: 'Domain controllers Bộ Tài chính (winlogbeat)', orgCode: 'VN-BTC', format: 'windows', transport: 'http' },
  { name: 'Domain controllers Bộ Nội vụ (winlogbeat)', orgCode: 'VN-BNV', format: 'windows', transport: 'http' },
  { name: 'SSO cán bộ Hà Nội (JSON)', orgCode: 'VN-HN-SKHCN', format: 'json', transport: 'http', jsonMapping: 'sso' },
  {
    name: 'Syslog relay Đà Nẵng (FortiGate + Linux)',
    orgCode: 'VN-DNG-SKHCN',
    format: null,
    transport: 'syslog',
    timezone: '+07:00',
    syslogSources: ['127.0.0.1', '::1'],
  },
];

const passwordAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function newPassword(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += passwordAlphabet[randomInt(passwordAlphabet.length)] ?? 'x';
  return out;
}

export interface SeedDemoOptions {
  dataDir: string;
  hashPassword: (password: string) => Promise<string>;
  clock: Clock;
}

export async function seedDemo(store: Store, options: SeedDemoOptions): Promise<DemoSeed> {
  const scope = Scope.system('demo seed');
  const createdAt = new Date(options.clock.now()).toISOString();

  const orgs = new Map<string, { id: string; nameEn: string }>();
  for (const spec of demoTree) {
    const existing = store.orgs.getByCode(scope, spec.code);
    if (existing) {
      orgs.set(spec.code, { id: existing.id, nameEn: existing.nameEn });
      continue;
    }
    const parentId = spec.parentCode === null ? null : (orgs.get(spec.parentCode)?.id ?? null);
    const id = newId('org');
    store.orgs.create(scope, { id, parentId, code: spec.code, nameVi: spec.nameVi, nameEn: spec.nameEn, kind: spec.kind, sector: spec.sector, region: spec.region, demo: true, createdAt });
    orgs.set(spec.code, { id, nameEn: spec.nameEn });
  }
  const orgOf = (code: string): { id: string; nameEn: string } => {
    const org = orgs.get(code);
    if (!org) throw new Error(`demo seed: organisation ${code} is not in the demo tree`);
    return org;
  };

  const file = readDemoCredentials(options.dataDir);
  let changed = file === null;
  const seed: DemoSeed = { users: [], sensors: [] };

  for (const spec of demoUserSpecs) {
    const org = orgOf(spec.orgCode);
    const remembered = file?.users.find((u) => u.username === spec.username)?.password;
    const existing = store.users.findCredentials(scope, spec.username);
    let password: string;
    if (!existing) {
      password = remembered ?? newPassword();
      changed ||= remembered === undefined;
      store.users.create(scope, {
        id: newId('usr'),
        orgId: org.id,
        username: spec.username,
        displayName: spec.displayName,
        role: spec.role,
        locale: spec.locale,
        disabled: false,
        demo: true,
        createdAt,
        passwordHash: await options.hashPassword(password),
      });
    } else if (!existing.demo) {
      continue; // a real account with this name: never touch it
    } else if (remembered === undefined) {
      password = newPassword();
      changed = true;
      store.users.update(scope, existing.id, { passwordHash: await options.hashPassword(password) });
    } else {
      password = remembered;
    }
    seed.users.push({ username: spec.username, password, role: spec.role, orgCode: spec.orgCode, orgNameEn: org.nameEn });
  }

  const sensors = store.sensors.list(scope);
  for (const spec of demoSensorSpecs) {
    const org = orgOf(spec.orgCode);
    let key = file?.sensors.find((s) => s.name === spec.name && s.orgCode === spec.orgCode)?.key;
    const existing = sensors.find((s) => s.demo && s.orgId === org.id && s.name === spec.name);
    let sensorId: string;
    if (!existing) {
      if (key === undefined || store.sensors.findByKeyDigest(scope, digestSecret(key)) !== null) {
        key = newSecret('vgs');
        changed = true;
      }
      sensorId = newId('sen');
      const sensor: Sensor = {
        id: sensorId,
        orgId: org.id,
        name: spec.name,
        format: spec.format,
        jsonMapping: spec.jsonMapping ?? null,
        timezone: spec.timezone ?? null,
        syslogSources: spec.syslogSources ?? [],
        tlsClientIds: [],
        ratePerSecond: null,
        keyPrefix: key.slice(0, 12),
        enabled: true,
        demo: true,
        createdAt,
      };
      store.sensors.create(scope, sensor, digestSecret(key));
    } else {
      sensorId = existing.id;
      if (key === undefined || store.sensors.findByKeyDigest(scope, digestSecret(key))?.id !== existing.id) {
        key = newSecret('vgs');
        changed = true;
        store.sensors.rotateKey(scope, existing.id, key.slice(0, 12), digestSecret(key));
      }
    }
    if (file?.sensors.find((s) => s.name === spec.name && s.orgCode === spec.orgCode)?.sensorId !== sensorId) changed = true;
    seed.sensors.push({
      sensorId,
      name: spec.name,
      orgId: org.id,
      orgCode: spec.orgCode,
      key,
      format: spec.format,
      transport: spec.transport,
      ...(spec.portalHost !== undefined ? { portalHost: spec.portalHost } : {}),
    });
  }

  if (changed) {
    const contents: DemoCredentialsFile = {
      version: 1,
      users: seed.users.map(({ username, password, role, orgCode }) => ({ username, password, role, orgCode })),
      sensors: seed.sensors.map(({ name, orgCode, sensorId, key }) => ({ name, orgCode, sensorId, key })),
    };
    writeDemoCredentials(options.dataDir, contents);
  }
  return seed;
}
