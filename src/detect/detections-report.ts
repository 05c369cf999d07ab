/**
 * @module detect/detections-report
 * What one detection batch tells the live stream: per organisation, how many alerts it raised and
 * a short summary of each (bounded: at most {@link MAX_ALERT_SUMMARIES} summaries a batch, the
 * counts stay exact), and the incidents it opened or added alerts to (at most
 * {@link MAX_INCIDENT_SUMMARIES}). Small enough to post from the detection thread every batch;
 * the main thread turns it into `alert` and `incident` events (warn/live-stream).
 */
import type { Alert, AlertSeverity } from '../core/model.js';
import type { Incident } from '../warn/incident-model.js';

export const MAX_ALERT_SUMMARIES = 200;
export const MAX_INCIDENT_SUMMARIES = 200;

export interface AlertSummary {
  id: string;
  ruleId: string;
  ruleTitle: string;
  kind: Alert['kind'];
  severity: AlertSeverity;
  eventTime: string;
  systemId: string | null;
}

export interface OrgAlerts {
  orgId: string;
  /** Every alert of the batch for this organisation. */
  count: number;
  /** The first of them (all batches together at most MAX_ALERT_SUMMARIES). */
  alerts: AlertSummary[];
}

export interface IncidentSummary {
  id: string;
  orgId: string;
  title: string;
  severity: AlertSeverity;
  status: string;
  alertCount: number;
  lastSeen: string;
  change: 'created' | 'updated';
}

export interface DetectionsReport {
  alerts: OrgAlerts[];
  incidents: IncidentSummary[];
}

export function summariseDetections(alerts: readonly Alert[], created: readonly Incident[], updated: readonly Incident[]): DetectionsReport {
  const byOrg = new Map<string, OrgAlerts>();
  let summaries = 0;
  for (const alert of alerts) {
    let entry = byOrg.get(alert.orgId);
    if (!entry) {
      entry = { orgId: alert.orgId, count: 0, alerts: [] };
      byOrg.set(alert.orgId, entry);
    }
    entry.count++;
    if (summaries < MAX_ALERT_SUMMARIES) {
      summaries++;
      entry.alerts.push({ id: alert.id, ruleId: alert.ruleId, ruleTitle: alert.ruleTitle, kind: alert.kind, severity: alert.severity, eventTime: alert.eventTime, systemId: alert.systemId ?? null });
    }
  }
  const incident = (i: Incident, change: IncidentSummary['change']): IncidentSummary => ({
    id: i.id, orgId: i.orgId, title: i.title, severity: i.severity, status: i.status, alertCount: i.alertCount, lastSeen: i.lastSeen, change,
  });
  const incidents = [...created.map((i) => incident(i, 'created')), ...updated.map((i) => incident(i, 'updated'))].slice(0, MAX_INCIDENT_SUMMARIES);
  return { alerts: [...byOrg.values()], incidents };
}
