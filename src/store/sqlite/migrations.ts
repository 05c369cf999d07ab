/**
 * @module store/sqlite/migrations
 * Versioned schema migrations. Each migration runs in its own transaction and is recorded in
 * `schema_migrations`, so a crash mid-upgrade leaves the database at the last complete version. A
 * database whose version is newer than this code knows is refused: an older binary writing to a
 * newer schema could silently corrupt it (e.g. after a rollback of the deployment).
 *
 * The per-day event tables (`events_YYYYMMDD`) are created on demand by `partitions.ts` from
 * `eventPartitionDdl`; a migration that changes their columns must also alter every table listed in
 * `event_partitions`.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../core/clock.js';
import { VigilError } from '../../core/errors.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up(db) {
      db.exec(`
        CREATE TABLE orgs (
          id TEXT PRIMARY KEY,
          parent_id TEXT REFERENCES orgs(id),
          code TEXT NOT NULL UNIQUE,
          name_vi TEXT NOT NULL,
          name_en TEXT NOT NULL,
          kind TEXT NOT NULL,
          sector TEXT,
          region TEXT,
          demo INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX orgs_parent ON orgs(parent_id);

        CREATE TABLE users (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          username TEXT NOT NULL UNIQUE COLLATE NOCASE,
          display_name TEXT NOT NULL,
          role TEXT NOT NULL,
          locale TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL,
          demo INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX users_org ON users(org_id);

        CREATE TABLE sessions (
          digest TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE INDEX sessions_expiry ON sessions(expires_at);

        CREATE TABLE api_tokens (
          id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          name TEXT NOT NULL,
          prefix TEXT NOT NULL,
          digest TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER,
          last_used_at INTEGER,
          revoked INTEGER NOT NULL
        );
        CREATE INDEX api_tokens_user ON api_tokens(user_id);

        CREATE TABLE sensors (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          name TEXT NOT NULL,
          format TEXT,
          json_mapping TEXT,
          timezone TEXT,
          syslog_sources TEXT NOT NULL,
          tls_client_ids TEXT NOT NULL,
          rate_per_second REAL,
          key_prefix TEXT NOT NULL,
          key_digest TEXT NOT NULL UNIQUE,
          enabled INTEGER NOT NULL,
          demo INTEGER NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX sensors_org ON sensors(org_id);

        -- Registry of the per-day event tables; kept exact in the commit transaction so that
        -- readAfter/search/count can pick partitions without touching them.
        CREATE TABLE event_partitions (
          day INTEGER PRIMARY KEY,
          table_name TEXT NOT NULL UNIQUE,
          min_seq INTEGER NOT NULL,
          max_seq INTEGER NOT NULL,
          min_ts INTEGER NOT NULL,
          max_ts INTEGER NOT NULL,
          rows INTEGER NOT NULL
        );

        -- High-water mark of seq: survives the drop of every partition, so seq never goes back.
        CREATE TABLE event_sequence (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          last_seq INTEGER NOT NULL
        );
        INSERT INTO event_sequence (id, last_seq) VALUES (1, 0);

        CREATE TABLE rollups_minute (
          minute INTEGER NOT NULL,
          org_id TEXT NOT NULL,
          dataset TEXT NOT NULL,
          category TEXT NOT NULL,
          outcome TEXT NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (minute, org_id, dataset, category, outcome)
        ) WITHOUT ROWID;

        CREATE TABLE ingest_batches (
          sensor_id TEXT NOT NULL,
          key TEXT NOT NULL,
          org_id TEXT NOT NULL,
          received_at INTEGER NOT NULL,
          summary TEXT NOT NULL,
          PRIMARY KEY (sensor_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX ingest_batches_received ON ingest_batches(received_at);

        CREATE TABLE dead_letters (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          org_id TEXT NOT NULL,
          sensor_id TEXT NOT NULL,
          parser TEXT NOT NULL,
          code TEXT NOT NULL,
          reason TEXT NOT NULL,
          line_no INTEGER NOT NULL,
          raw TEXT NOT NULL,
          received_at INTEGER NOT NULL
        );
        CREATE INDEX dead_letters_org_received ON dead_letters(org_id, received_at);
        CREATE INDEX dead_letters_received ON dead_letters(received_at);

        CREATE TABLE consumer_cursors (
          consumer TEXT PRIMARY KEY,
          seq INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    name: 'detection',
    up(db) {
      db.exec(`
        CREATE TABLE alerts (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          org_id TEXT NOT NULL,
          rule_id TEXT NOT NULL,
          rule_title TEXT NOT NULL,
          kind TEXT NOT NULL,
          severity TEXT NOT NULL,
          tags TEXT NOT NULL,
          event_time INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          event_seqs TEXT NOT NULL,
          matched_fields TEXT NOT NULL,
          grp TEXT,
          status TEXT NOT NULL,
          resolution TEXT,
          acknowledged_by TEXT,
          acknowledged_at INTEGER,
          closed_by TEXT,
          closed_at INTEGER,
          note TEXT
        );
        CREATE INDEX alerts_org_time ON alerts(org_id, event_time);
        CREATE INDEX alerts_time ON alerts(event_time);
        CREATE INDEX alerts_rule ON alerts(rule_id);

        CREATE TABLE rule_exceptions (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          rule_id TEXT NOT NULL,
          field TEXT NOT NULL,
          value TEXT NOT NULL,
          reason TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX rule_exceptions_rule ON rule_exceptions(rule_id);

        CREATE TABLE rule_settings (
          rule_id TEXT NOT NULL,
          org_id TEXT NOT NULL, -- '' = every organisation
          enabled INTEGER NOT NULL,
          updated_by TEXT NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (rule_id, org_id)
        ) WITHOUT ROWID;

        CREATE TABLE consumer_state (
          consumer TEXT PRIMARY KEY,
          state TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    name: 'alert details (analyser evidence, behaviour measures)',
    up(db) {
      db.exec('ALTER TABLE alerts ADD COLUMN details TEXT');
    },
  },
  {
    version: 4,
    name: 'threat intelligence',
    up(db) {
      db.exec(`
        CREATE TABLE intel_indicators (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          value TEXT NOT NULL,
          source TEXT NOT NULL,
          confidence INTEGER NOT NULL,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          valid_until INTEGER,
          kill_chain TEXT NOT NULL,
          attack TEXT NOT NULL,
          labels TEXT NOT NULL,
          description TEXT,
          tlp TEXT NOT NULL,
          owner_org_id TEXT NOT NULL REFERENCES orgs(id),
          shared_with TEXT NOT NULL,
          stix_id TEXT,
          revoked INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          version INTEGER NOT NULL,
          UNIQUE (type, value, source, owner_org_id)
        );
        CREATE INDEX intel_indicators_value ON intel_indicators(value);
        CREATE INDEX intel_indicators_version ON intel_indicators(version);
        CREATE INDEX intel_indicators_seen ON intel_indicators(last_seen, n);

        CREATE TABLE intel_meta (
          key TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        );
        INSERT INTO intel_meta (key, value) VALUES ('version', 0);

        CREATE TABLE intel_sightings (
          indicator_id TEXT NOT NULL,
          org_id TEXT NOT NULL,
          event_seq INTEGER NOT NULL,
          event_time INTEGER NOT NULL,
          field TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (indicator_id, event_seq, field)
        ) WITHOUT ROWID;
        CREATE INDEX intel_sightings_org ON intel_sightings(org_id, event_time);
      `);
    },
  },
  {
    version: 5,
    name: 'intelligence feeds managed over the API',
    up(db) {
      // Times are epoch ms like every other table; `cursor` is the incremental position of the
      // feed's kind (TAXII `added_after`, MISP manifest `since`). `token_env` names a variable,
      // never a secret. The index serves `listAddedAfter` (TAXII collections): equality on tlp,
      // a range on updated_at and its order `updated_at, n` (`changedSince` has the version index).
      db.exec(`
        CREATE TABLE intel_feeds (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          name TEXT NOT NULL,
          kind TEXT NOT NULL,
          url TEXT NOT NULL,
          collection_id TEXT,
          token_env TEXT,
          every_minutes INTEGER NOT NULL,
          tlp_default TEXT NOT NULL,
          enabled INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          last_run_at INTEGER,
          last_success_at INTEGER,
          last_error TEXT,
          last_added INTEGER NOT NULL DEFAULT 0,
          last_updated INTEGER NOT NULL DEFAULT 0,
          failures INTEGER NOT NULL DEFAULT 0,
          next_run_at INTEGER,
          cursor TEXT
        );
        CREATE INDEX intel_feeds_org ON intel_feeds(org_id);
        CREATE INDEX IF NOT EXISTS intel_indicators_updated ON intel_indicators(tlp, updated_at, n);
      `);
    },
  },
  {
    version: 6,
    name: 'information systems inventory; alerts attributed to a system',
    up(db) {
      // Lists that are only read whole (host names, URLs, ranges, sensors) are JSON; software has
      // its own table, indexed by (vendor, product) and by product, because advisories ask which
      // systems run a product across the whole country. Budgets are whole đồng (INTEGER).
      db.exec(`
        CREATE TABLE information_systems (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          name TEXT NOT NULL,
          description TEXT,
          owner_unit TEXT NOT NULL,
          owner_person TEXT,
          owner_contact TEXT,
          security_level INTEGER NOT NULL CHECK (security_level BETWEEN 1 AND 5),
          hostnames TEXT NOT NULL,
          urls TEXT NOT NULL,
          ip_ranges TEXT NOT NULL,
          sensor_ids TEXT NOT NULL,
          plan_approved INTEGER NOT NULL,
          plan_approved_on TEXT,
          budget_total INTEGER,
          budget_security INTEGER,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          UNIQUE (org_id, name)
        );
        CREATE INDEX information_systems_level ON information_systems(security_level);

        CREATE TABLE system_software (
          system_id TEXT NOT NULL REFERENCES information_systems(id) ON DELETE CASCADE,
          position INTEGER NOT NULL,
          org_id TEXT NOT NULL,
          cpe TEXT NOT NULL,
          part TEXT NOT NULL,
          vendor TEXT NOT NULL,
          product TEXT NOT NULL,
          version TEXT,
          PRIMARY KEY (system_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX system_software_vendor_product ON system_software(vendor, product);
        CREATE INDEX system_software_product ON system_software(product);
        CREATE INDEX system_software_cpe ON system_software(cpe);

        ALTER TABLE alerts ADD COLUMN system_id TEXT;
        CREATE INDEX alerts_system ON alerts(system_id, event_time) WHERE system_id IS NOT NULL;
      `);
    },
  },
  {
    version: 7,
    name: 'incidents: alerts grouped, lifecycle, timeline, tasks, observables, responders',
    up(db) {
      // `n` orders pages of equal last_seen; (org_id, group_key, status, last_seen) serves the
      // grouping lookup of every new alert. An alert belongs to at most one incident.
      db.exec(`
        CREATE TABLE incidents (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          org_id TEXT NOT NULL,
          title TEXT NOT NULL,
          severity TEXT NOT NULL,
          status TEXT NOT NULL,
          tlp TEXT NOT NULL,
          assignee TEXT,
          system_id TEXT,
          group_key TEXT NOT NULL,
          entity_type TEXT NOT NULL,
          entity_value TEXT NOT NULL,
          technique TEXT NOT NULL,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          alert_count INTEGER NOT NULL,
          help_requested INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          acknowledged_at INTEGER,
          resolved_at INTEGER,
          closed_at INTEGER
        );
        CREATE INDEX incidents_group ON incidents(org_id, group_key, status, last_seen);
        CREATE INDEX incidents_org_seen ON incidents(org_id, last_seen);
        CREATE INDEX incidents_seen ON incidents(last_seen, n);
        CREATE TABLE incident_alerts (
          alert_id TEXT PRIMARY KEY,
          incident_id TEXT NOT NULL,
          org_id TEXT NOT NULL,
          event_time INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX incident_alerts_incident ON incident_alerts(incident_id, event_time);
        CREATE TABLE incident_timeline (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          incident_id TEXT NOT NULL,
          at INTEGER NOT NULL,
          actor TEXT NOT NULL,
          actor_org_id TEXT,
          action TEXT NOT NULL,
          text TEXT NOT NULL,
          data TEXT
        );
        CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, at);
        CREATE TABLE incident_tasks (
          id TEXT PRIMARY KEY,
          incident_id TEXT NOT NULL,
          title TEXT NOT NULL,
          status TEXT NOT NULL,
          assignee TEXT,
          due_at INTEGER,
          created_at INTEGER NOT NULL,
          created_by TEXT NOT NULL,
          done_at INTEGER
        );
        CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id);
        CREATE TABLE incident_observables (
          incident_id TEXT NOT NULL,
          type TEXT NOT NULL,
          value TEXT NOT NULL,
          added_by TEXT NOT NULL,
          added_at INTEGER NOT NULL,
          note TEXT,
          PRIMARY KEY (incident_id, type, value)
        ) WITHOUT ROWID;
        CREATE INDEX incident_observables_value ON incident_observables(type, value);
        CREATE TABLE incident_responders (
          incident_id TEXT NOT NULL,
          org_id TEXT NOT NULL,
          assigned_by TEXT NOT NULL,
          assigned_at INTEGER NOT NULL,
          PRIMARY KEY (incident_id, org_id)
        ) WITHOUT ROWID;
        CREATE INDEX incident_responders_org ON incident_responders(org_id, incident_id);
      `);
    },
  },
  {
    version: 8,
    name: 'warnings and advisories with their recipients; campaigns across organisations',
    up(db) {
      // Texts in both languages side by side; targets, indicators and actions as JSON (read whole,
      // never queried into). A recipient row is the delivery record the issuer follows; the
      // escalation counters make the escalation schedule restart-safe.
      db.exec(`
        CREATE TABLE warnings (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL,
          source TEXT NOT NULL,
          campaign_id TEXT,
          issuer_org_id TEXT NOT NULL,
          severity TEXT NOT NULL,
          tlp TEXT NOT NULL,
          title_vi TEXT NOT NULL,
          title_en TEXT NOT NULL,
          text_vi TEXT NOT NULL,
          text_en TEXT NOT NULL,
          indicators TEXT NOT NULL,
          actions TEXT NOT NULL,
          refs TEXT NOT NULL,
          targets TEXT NOT NULL,
          ack_deadline INTEGER NOT NULL,
          remediation_deadline INTEGER NOT NULL,
          status TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          created_by TEXT NOT NULL,
          issued_at INTEGER,
          issued_by TEXT,
          recipient_count INTEGER NOT NULL
        );
        CREATE INDEX warnings_issuer ON warnings(issuer_org_id, n);
        CREATE INDEX warnings_campaign ON warnings(campaign_id);
        CREATE TABLE warning_recipients (
          warning_id TEXT NOT NULL,
          org_id TEXT NOT NULL,
          reasons TEXT NOT NULL,
          system_ids TEXT NOT NULL,
          notified_at INTEGER NOT NULL,
          acknowledged_by TEXT,
          acknowledged_at INTEGER,
          remediation TEXT NOT NULL,
          ack_escalation INTEGER NOT NULL DEFAULT 0,
          remediation_escalation INTEGER NOT NULL DEFAULT 0,
          last_escalated_at INTEGER,
          PRIMARY KEY (warning_id, org_id)
        ) WITHOUT ROWID;
        CREATE INDEX warning_recipients_org ON warning_recipients(org_id, warning_id);
        CREATE TABLE campaigns (
          n INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          key_type TEXT NOT NULL,
          key_value TEXT NOT NULL,
          status TEXT NOT NULL,
          title TEXT NOT NULL,
          technique TEXT NOT NULL,
          severity TEXT NOT NULL,
          org_ids TEXT NOT NULL,
          alert_count INTEGER NOT NULL,
          indicators TEXT NOT NULL,
          software TEXT NOT NULL,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          detected_at INTEGER NOT NULL,
          confirmed_by TEXT,
          confirmed_at INTEGER,
          warning_id TEXT,
          warned_at INTEGER
        );
        CREATE INDEX campaigns_key ON campaigns(key_type, key_value, status, last_seen);
        CREATE TABLE campaign_observations (
          alert_id TEXT NOT NULL,
          key TEXT NOT NULL,
          org_id TEXT NOT NULL,
          event_time INTEGER NOT NULL,
          PRIMARY KEY (alert_id, key)
        ) WITHOUT ROWID;
        CREATE INDEX campaign_observations_key ON campaign_observations(key, event_time);
        CREATE TABLE campaign_alerts (
          alert_id TEXT PRIMARY KEY,
          campaign_id TEXT NOT NULL
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 9,
    name: 'delivery',
    up(db) {
      // Contacts and the outbox (warn/delivery-*). A notification is stored once (its id is
      // deterministic), then one delivery per contact; the due index serves the worker's poll.
      db.exec(`
        CREATE TABLE contacts (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          channel TEXT NOT NULL,
          name TEXT NOT NULL,
          address TEXT NOT NULL,
          language TEXT NOT NULL,
          min_severity TEXT NOT NULL,
          digest INTEGER NOT NULL,
          enabled INTEGER NOT NULL,
          secret TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          UNIQUE (org_id, channel, address)
        );

        CREATE TABLE notifications (
          id TEXT PRIMARY KEY,
          org_id TEXT NOT NULL REFERENCES orgs(id),
          kind TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          severity TEXT NOT NULL,
          doc TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          queued_at INTEGER NOT NULL
        );
        CREATE INDEX notifications_subject ON notifications(subject_id);

        CREATE TABLE deliveries (
          id TEXT PRIMARY KEY,
          notification_id TEXT NOT NULL REFERENCES notifications(id),
          contact_id TEXT REFERENCES contacts(id) ON DELETE SET NULL,
          org_id TEXT NOT NULL,
          subject_id TEXT NOT NULL,
          kind TEXT NOT NULL,
          severity TEXT NOT NULL,
          channel TEXT NOT NULL,
          address TEXT,
          status TEXT NOT NULL,
          digest INTEGER NOT NULL,
          attempts INTEGER NOT NULL,
          next_attempt_at INTEGER,
          last_error TEXT,
          delivered_at INTEGER,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          UNIQUE (notification_id, contact_id)
        );
        CREATE INDEX deliveries_due ON deliveries(status, channel, next_attempt_at);
        CREATE INDEX deliveries_org ON deliveries(org_id, created_at);
        CREATE INDEX deliveries_subject ON deliveries(subject_id);
      `);
    },
  },
];

/** DDL of one day's event table. Indexes serve time-ordered search, per-org and per-category views. */
export function eventPartitionDdl(table: string): string {
  return `
    CREATE TABLE IF NOT EXISTS ${table} (
      seq INTEGER PRIMARY KEY,
      ts INTEGER NOT NULL,
      org_id TEXT NOT NULL,
      sensor_id TEXT NOT NULL,
      dataset TEXT,
      category TEXT,
      outcome TEXT,
      source_ip TEXT,
      host_name TEXT,
      user_name TEXT,
      original TEXT,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${table}_ts ON ${table}(ts, seq);
    CREATE INDEX IF NOT EXISTS ${table}_org ON ${table}(org_id, ts);
  `;
}

export function latestSchemaVersion(): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** The version recorded in the database (0 for a new file). */
export function appliedSchemaVersion(db: Database.Database): number {
  const row = db.prepare<[], { version: number | null }>('SELECT max(version) AS version FROM schema_migrations').get();
  return row?.version ?? 0;
}

/** Brings the schema up to date; refuses a database from a newer Vigil. */
export function migrate(db: Database.Database, clock: Clock, known: readonly Migration[] = migrations): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = appliedSchemaVersion(db);
  const latest = known.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new VigilError('VIGIL_ERR_CONFIG', {
      detail: `database ${db.name} has schema version ${current}, newer than this Vigil knows (${latest}); upgrade Vigil or restore a backup`,
    });
  }
  const record = db.prepare<[number, string, number]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const pending = known.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.version, migration.name, clock.now());
    }).immediate();
  }
  return pending.length > 0 ? latest : current;
}
