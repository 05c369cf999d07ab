/**
 * @module store/sqlite/campaigns
 * Campaigns and the observations they are detected from: one row per alert and campaign key
 * (indicator, source, payload family, rule), indexed by key and time so "which organisations saw
 * this key in the window" is one range read. Campaigns are the centre's: there is no per-organisation
 * scope here, and the API serves them to the centre only.
 */
import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import { alertSeverities, type AlertSeverity } from '../../core/model.js';
import { campaignKeyTypes, campaignStatuses, type Campaign, type CampaignKeyType, type CampaignStatus } from '../../warn/campaign-model.js';
import type { CampaignObservation, CampaignRepository } from '../store.js';
import { toIso, toIsoOrNull, toMillis, toMillisOrNull } from './columns.js';
import { decodeCursor, encodeCursor, queryHash } from './page-cursor.js';
import type { StatementCache } from './statement-cache.js';

interface CampaignRow {
  n: number;
  id: string;
  key_type: string;
  key_value: string;
  status: string;
  title: string;
  technique: string;
  severity: string;
  org_ids: string;
  alert_count: number;
  indicators: string;
  software: string;
  first_seen: number;
  last_seen: number;
  detected_at: number;
  confirmed_by: string | null;
  confirmed_at: number | null;
  warning_id: string | null;
  warned_at: number | null;
}

function decode(row: CampaignRow): Campaign {
  return {
    id: row.id,
    keyType: (campaignKeyTypes as readonly string[]).includes(row.key_type) ? (row.key_type as CampaignKeyType) : 'rule',
    keyValue: row.key_value,
    status: (campaignStatuses as readonly string[]).includes(row.status) ? (row.status as CampaignStatus) : 'detected',
    title: row.title,
    technique: row.technique,
    severity: (alertSeverities as readonly string[]).includes(row.severity) ? (row.severity as AlertSeverity) : 'high',
    orgIds: JSON.parse(row.org_ids) as string[],
    alertCount: row.alert_count,
    indicators: JSON.parse(row.indicators) as Campaign['indicators'],
    software: JSON.parse(row.software) as Campaign['software'],
    firstSeen: toIso(row.first_seen),
    lastSeen: toIso(row.last_seen),
    detectedAt: toIso(row.detected_at),
    confirmedBy: row.confirmed_by,
    confirmedAt: toIsoOrNull(row.confirmed_at),
    warningId: row.warning_id,
    warnedAt: toIsoOrNull(row.warned_at),
  };
}

export class SqliteCampaignRepository implements CampaignRepository {
  private readonly observeAll: (observations: readonly CampaignObservation[]) => void;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    const insert = db.prepare('INSERT OR IGNORE INTO campaign_observations (alert_id, key, org_id, event_time) VALUES (?, ?, ?, ?)');
    this.observeAll = db.transaction((observations: readonly CampaignObservation[]) => {
      for (const o of observations) insert.run(o.alertId, o.key, o.orgId, toMillis(o.eventTime, 'eventTime'));
    });
  }

  observe(observations: readonly CampaignObservation[]): void {
    if (observations.length > 0) this.observeAll(observations);
  }

  orgsFor(key: string, since: string): { orgId: string; first: string; last: string; alerts: number; alertIds: string[] }[] {
    return this.statements
      .get<{ org_id: string; first: number; last: number; c: number; ids: string }>(
        `SELECT org_id, min(event_time) AS first, max(event_time) AS last, count(*) AS c, json_group_array(alert_id) AS ids
         FROM campaign_observations WHERE key = ? AND event_time >= ? GROUP BY org_id ORDER BY first, org_id`,
      )
      .all(key, toMillis(since, 'since'))
      .map((r) => ({ orgId: r.org_id, first: toIso(r.first), last: toIso(r.last), alerts: r.c, alertIds: (JSON.parse(r.ids) as string[]).slice(0, 100) }));
  }

  linkAlerts(campaignId: string, alertIds: readonly string[]): void {
    if (alertIds.length === 0) return;
    this.statements
      .get('INSERT OR IGNORE INTO campaign_alerts (alert_id, campaign_id) SELECT value, ? FROM json_each(?)')
      .run(campaignId, JSON.stringify(alertIds));
  }

  campaignOfAlerts(alertIds: readonly string[]): Campaign | null {
    if (alertIds.length === 0) return null;
    const row = this.statements
      .get<CampaignRow>(`SELECT c.* FROM campaigns c WHERE c.status <> 'dismissed' AND c.id IN
        (SELECT campaign_id FROM campaign_alerts WHERE alert_id IN (SELECT value FROM json_each(?))) ORDER BY c.n LIMIT 1`)
      .get(JSON.stringify(alertIds));
    return row === undefined ? null : decode(row);
  }

  findActive(keyType: string, keyValue: string, since: string): Campaign | null {
    const row = this.statements
      .get<CampaignRow>(`SELECT * FROM campaigns WHERE key_type = ? AND key_value = ? AND status <> 'dismissed' AND last_seen >= ? ORDER BY last_seen DESC LIMIT 1`)
      .get(keyType, keyValue, toMillis(since, 'since'));
    return row === undefined ? null : decode(row);
  }

  create(c: Campaign): Campaign {
    const changes = this.statements
      .get(`INSERT OR IGNORE INTO campaigns (id, key_type, key_value, status, title, technique, severity, org_ids, alert_count, indicators, software, first_seen, last_seen,
        detected_at, confirmed_by, confirmed_at, warning_id, warned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        c.id, c.keyType, c.keyValue, c.status, c.title, c.technique, c.severity, JSON.stringify(c.orgIds), c.alertCount, JSON.stringify(c.indicators), JSON.stringify(c.software),
        toMillis(c.firstSeen, 'firstSeen'), toMillis(c.lastSeen, 'lastSeen'), toMillis(c.detectedAt, 'detectedAt'), c.confirmedBy, toMillisOrNull(c.confirmedAt, 'confirmedAt'),
        c.warningId, toMillisOrNull(c.warnedAt, 'warnedAt'),
      ).changes;
    if (changes === 0) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `campaign ${c.id} exists` });
    return this.get(c.id) as Campaign;
  }

  update(id: string, patch: Partial<Pick<Campaign, 'status' | 'severity' | 'orgIds' | 'alertCount' | 'indicators' | 'software' | 'lastSeen' | 'confirmedBy' | 'confirmedAt' | 'warningId' | 'warnedAt' | 'title'>>): Campaign {
    const current = this.get(id);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Campaign', id });
    const c = { ...current, ...patch };
    this.statements
      .get(`UPDATE campaigns SET status = ?, title = ?, severity = ?, org_ids = ?, alert_count = ?, indicators = ?, software = ?, last_seen = ?, confirmed_by = ?, confirmed_at = ?,
        warning_id = ?, warned_at = ? WHERE id = ?`)
      .run(
        c.status, c.title, c.severity, JSON.stringify(c.orgIds), c.alertCount, JSON.stringify(c.indicators), JSON.stringify(c.software), toMillis(c.lastSeen, 'lastSeen'), c.confirmedBy,
        toMillisOrNull(c.confirmedAt, 'confirmedAt'), c.warningId, toMillisOrNull(c.warnedAt, 'warnedAt'), id,
      );
    return this.get(id) as Campaign;
  }

  get(id: string): Campaign | null {
    const row = this.statements.get<CampaignRow>('SELECT * FROM campaigns WHERE id = ?').get(id);
    return row === undefined ? null : decode(row);
  }

  list(query: { status?: CampaignStatus; limit: number; cursor?: string }): { items: Campaign[]; next: string | null } {
    const conditions: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    if (query.status) {
      conditions.push('status = @status');
      params['status'] = query.status;
    }
    const hash = queryHash({ st: query.status });
    if (query.cursor) {
      conditions.push('n < @cn');
      params['cn'] = decodeCursor(query.cursor, hash, ['n'] as const).n;
    }
    const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
    const rows = this.statements.get<CampaignRow>(`SELECT * FROM campaigns${where} ORDER BY n DESC LIMIT @limit`).all(params);
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    const last = page[page.length - 1];
    return { items: page.map(decode), next: more && last ? encodeCursor({ n: last.n }, hash) : null };
  }
}
