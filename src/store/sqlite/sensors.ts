/**
 * @module store/sqlite/sensors
 * Sensors (log sources) and the digest of their API key. Only the SHA-256 digest of a key is kept
 * (see core/ids), unique so that a key identifies exactly one sensor at authentication.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import type { Sensor } from '../../core/model.js';
import type { Scope } from '../../core/scope.js';
import type { SensorRepository } from '../store.js';
import { definedOnly, fromFlag, fromJsonList, toFlag, toIso, toMillis } from './columns.js';
import { rethrowConstraint } from './constraints.js';
import { scopeJson, scopePredicate } from './scope-sql.js';

interface SensorRow {
  id: string;
  org_id: string;
  name: string;
  format: string | null;
  json_mapping: string | null;
  timezone: string | null;
  syslog_sources: string;
  tls_client_ids: string;
  rate_per_second: number | null;
  key_prefix: string;
  enabled: number;
  demo: number;
  created_at: number;
}

type ScopeParam = { scope: string | null };
type SensorPatch = Partial<Omit<Sensor, 'id' | 'orgId' | 'createdAt' | 'keyPrefix' | 'demo'>>;

/** Columns a caller may read: never the key digest. */
const columns = 'id, org_id, name, format, json_mapping, timezone, syslog_sources, tls_client_ids, rate_per_second, key_prefix, enabled, demo, created_at';

function toSensor(row: SensorRow): Sensor {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    format: row.format,
    jsonMapping: row.json_mapping,
    timezone: row.timezone,
    syslogSources: fromJsonList(row.syslog_sources),
    tlsClientIds: fromJsonList(row.tls_client_ids),
    ratePerSecond: row.rate_per_second,
    keyPrefix: row.key_prefix,
    enabled: fromFlag(row.enabled),
    demo: fromFlag(row.demo),
    createdAt: toIso(row.created_at),
  };
}

const conflicts = (sensor: { id: string }): Record<string, string> => ({
  'sensors.key_digest': 'a sensor with this key already exists',
  'sensors.id': `sensor ${sensor.id} already exists`,
});

export class SqliteSensorRepository implements SensorRepository {
  private readonly listStmt: Database.Statement<ScopeParam, SensorRow>;
  private readonly getStmt: Database.Statement<ScopeParam & { id: string }, SensorRow>;
  private readonly byDigestStmt: Database.Statement<ScopeParam & { digest: string }, SensorRow>;
  private readonly insertStmt: Database.Statement<
    [string, string, string, string | null, string | null, string | null, string, string, number | null, string, string, number, number, number]
  >;
  private readonly updateStmt: Database.Statement<[string, string | null, string | null, string | null, string, string, number | null, number, string]>;
  private readonly rotateStmt: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    const inScope = scopePredicate('org_id');
    this.listStmt = db.prepare(`SELECT ${columns} FROM sensors WHERE ${inScope} ORDER BY name, id`);
    this.getStmt = db.prepare(`SELECT ${columns} FROM sensors WHERE id = @id AND ${inScope}`);
    this.byDigestStmt = db.prepare(`SELECT ${columns} FROM sensors WHERE key_digest = @digest AND ${inScope}`);
    this.insertStmt = db.prepare(`INSERT INTO sensors (id, org_id, name, format, json_mapping, timezone, syslog_sources, tls_client_ids,
      rate_per_second, key_prefix, key_digest, enabled, demo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateStmt = db.prepare(`UPDATE sensors SET name = ?, format = ?, json_mapping = ?, timezone = ?, syslog_sources = ?,
      tls_client_ids = ?, rate_per_second = ?, enabled = ? WHERE id = ?`);
    this.rotateStmt = db.prepare('UPDATE sensors SET key_prefix = ?, key_digest = ? WHERE id = ?');
  }

  list(scope: Scope): Sensor[] {
    return this.listStmt.all({ scope: scopeJson(scope) }).map(toSensor);
  }

  get(scope: Scope, id: string): Sensor | null {
    const row = this.getStmt.get({ scope: scopeJson(scope), id });
    return row === undefined ? null : toSensor(row);
  }

  findByKeyDigest(scope: Scope, digest: string): Sensor | null {
    const row = this.byDigestStmt.get({ scope: scopeJson(scope), digest });
    return row === undefined ? null : toSensor(row);
  }

  create(scope: Scope, sensor: Sensor, keyDigest: string): void {
    scope.assertIncludes(sensor.orgId);
    try {
      this.insertStmt.run(
        sensor.id, sensor.orgId, sensor.name, sensor.format, sensor.jsonMapping, sensor.timezone,
        JSON.stringify(sensor.syslogSources), JSON.stringify(sensor.tlsClientIds), sensor.ratePerSecond,
        sensor.keyPrefix, keyDigest, toFlag(sensor.enabled), toFlag(sensor.demo), toMillis(sensor.createdAt, 'createdAt'),
      );
    } catch (err) {
      rethrowConstraint(err, {
        unique: conflicts(sensor),
        foreignKey: () => new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: sensor.orgId }),
      });
    }
  }

  update(scope: Scope, id: string, patch: SensorPatch): Sensor {
    const current = this.get(scope, id);
    if (current === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Sensor', id });
    const next: Sensor = { ...current, ...definedOnly(patch) };
    this.updateStmt.run(
      next.name, next.format, next.jsonMapping, next.timezone, JSON.stringify(next.syslogSources),
      JSON.stringify(next.tlsClientIds), next.ratePerSecond, toFlag(next.enabled), id,
    );
    return next;
  }

  rotateKey(scope: Scope, id: string, keyPrefix: string, keyDigest: string): void {
    if (this.get(scope, id) === null) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Sensor', id });
    try {
      this.rotateStmt.run(keyPrefix, keyDigest, id);
    } catch (err) {
      rethrowConstraint(err, { unique: conflicts({ id }) });
    }
  }
}
