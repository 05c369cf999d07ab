import { describe, expect, it } from 'vitest';
import type { AlertSeverity, OrgKind, Organization } from '../core/model.js';
import { budgetMeasures, type InformationSystem, type SystemBudget } from '../inventory/model.js';
import type { Incident, IncidentStatus } from './incident-model.js';
import { computeMeasures, quantile, summariseDurations, type MeasureInputs, type RecipientRecord } from './measures.js';
import type { RemediationReport } from './warning-model.js';

const T0 = Date.UTC(2026, 10, 1, 8, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = T0 + 48 * HOUR;

const org = (id: string, parentId: string | null, kind: OrgKind): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector: null, region: null, demo: false, createdAt: iso(T0 - 100 * DAY),
});
const orgs = [org('vn', null, 'national'), org('hn', 'vn', 'province'), org('hn-a', 'hn', 'agency'), org('hp', 'vn', 'province')];

const report = (systemId: string | null, status: RemediationReport['status'], at: number | null): RemediationReport => ({
  systemId, status, evidence: null, reportedBy: at === null ? null : 'u', reportedAt: at === null ? null : iso(at),
});

/** A recipient of a warning issued at `issued` with deadlines 24 h and 72 h later. */
function recipient(warningId: string, orgId: string, issued: number, ackAt: number | null, remediation: RemediationReport[]): RecipientRecord {
  return {
    warningId, orgId, reasons: ['org'], systemIds: remediation.map((r) => r.systemId).filter((s): s is string => s !== null),
    notifiedAt: iso(issued), acknowledgedBy: ackAt === null ? null : 'u', acknowledgedAt: ackAt === null ? null : iso(ackAt), remediation,
    ackEscalation: 0, remediationEscalation: 0, lastEscalatedAt: null,
    ackDeadline: iso(issued + 24 * HOUR), remediationDeadline: iso(issued + 72 * HOUR), issuedAt: iso(issued),
  };
}

function incident(id: string, orgId: string, severity: AlertSeverity, status: IncidentStatus, created: number, ack: number | null, resolved: number | null): Incident {
  return {
    id, orgId, title: id, severity, status, tlp: 'amber', assignee: null, systemId: null, groupKey: id, entity: { type: 'none', value: '' }, technique: 't1190',
    firstSeen: iso(created), lastSeen: iso(created), alertCount: 1, helpRequested: false, createdAt: iso(created), updatedAt: iso(created),
    acknowledgedAt: ack === null ? null : iso(ack), resolvedAt: resolved === null ? null : iso(resolved), closedAt: null,
  };
}

function system(id: string, orgId: string, sensorIds: string[], approved: boolean, budget: Omit<SystemBudget, 'currency'>): InformationSystem {
  const b: SystemBudget = { currency: 'VND', ...budget };
  return {
    id, orgId, name: `System ${id}`, description: null, owner: { unit: 'IT', person: null, contact: null }, securityLevel: 3, hostnames: [], urls: [], ipRanges: [], software: [],
    sensorIds, securityPlan: { approved, approvedOn: approved ? '2026-01-01' : null }, budget: b, ...budgetMeasures(b), createdAt: iso(T0), updatedAt: iso(T0),
  };
}

const inputs: MeasureInputs = {
  now: NOW,
  period: { from: NOW - 30 * DAY, to: NOW + 1 },
  orgs,
  recipients: [
    // w1: hn acknowledges in an hour and remediates both systems (the last after 20 h)
    recipient('w1', 'hn', T0, T0 + HOUR, [report('s1', 'remediated', T0 + 10 * HOUR), report('s2', 'not-affected', T0 + 20 * HOUR)]),
    // hn-a acknowledges late (30 h after a 24 h deadline); its remediation is not due yet
    recipient('w1', 'hn-a', T0, T0 + 30 * HOUR, [report('s3', 'in-progress', T0 + 31 * HOUR)]),
    // hp never acknowledges
    recipient('w1', 'hp', T0, null, [report(null, 'pending', null)]),
    // w2: hn in 3 h, not affected after 5 h
    recipient('w2', 'hn', T0, T0 + 3 * HOUR, [report(null, 'not-affected', T0 + 5 * HOUR)]),
    // w0, issued 40 days ago, before the period: hp still has done nothing (overdue, not in the period's figures)
    recipient('w0', 'hp', T0 - 40 * DAY, null, [report(null, 'pending', null)]),
    // an organisation outside the scope is ignored
    recipient('w1', 'elsewhere', T0, null, [report(null, 'pending', null)]),
  ],
  incidents: [
    incident('i1', 'hn', 'high', 'new', T0, null, null),
    incident('i2', 'hn-a', 'critical', 'acknowledged', T0, T0 + 30 * 60_000, null),
    incident('i3', 'hp', 'medium', 'resolved', T0 + HOUR, T0 + 2 * HOUR, T0 + 5 * HOUR),
    incident('i4', 'hp', 'low', 'closed', T0 - 40 * DAY, T0 - 40 * DAY + HOUR, T0 - 40 * DAY + 2 * HOUR),
  ],
  systems: [
    system('s1', 'hn', ['sen-hn'], true, { total: 1000, security: 200 }),
    system('s2', 'hn', [], false, { total: null, security: null }),
    system('s3', 'hn-a', ['sen-a'], true, { total: 1000, security: 50 }),
    system('s4', 'hp', ['sen-hp1', 'sen-hp2'], false, { total: 0, security: 0 }),
  ],
  sensorLastEvent: new Map([['sen-hn', NOW - HOUR], ['sen-a', NOW - 30 * HOUR], ['sen-hp2', NOW - 2 * HOUR]]),
};

describe('quantiles and durations', () => {
  it.each([
    [[], 0.5, null],
    [[5], 0.9, 5],
    [[1, 3], 0.5, 2],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 3, 30], 0.5, 3],
    [[1, 3, 30], 0.9, 24.6],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9, 91],
  ])('quantile(%j, %d) = %d', (values, q, expected) => {
    const got = quantile(values, q);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 9);
  });

  it('summarises milliseconds as seconds, unsorted input, mean, median and p90', () => {
    expect(summariseDurations([3 * HOUR, HOUR])).toEqual({ count: 2, meanSeconds: 7200, medianSeconds: 7200, p90Seconds: 10080 });
    expect(summariseDurations([])).toEqual({ count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null });
  });
});

describe('measures per organisation', () => {
  const measures = computeMeasures(inputs);

  it('times acknowledgement and remediation, and the share acknowledged in time, per organisation', () => {
    const hn = measures.get('hn')?.own.warnings;
    expect(hn).toMatchObject({ received: 2, acknowledged: 2, acknowledgedInTime: 2, missedAckDeadline: 0, shareAcknowledgedInTime: 1, remediated: 2, remediatedInTime: 2, missedRemediationDeadline: 0 });
    expect(hn?.timeToAcknowledge).toEqual({ count: 2, meanSeconds: 7200, medianSeconds: 7200, p90Seconds: 10080 });
    // 20 h (the last of two systems) and 5 h
    expect(hn?.timeToRemediate).toEqual({ count: 2, meanSeconds: 45_000, medianSeconds: 45_000, p90Seconds: 66_600 });
    expect(measures.get('hn-a')?.own.warnings).toMatchObject({ received: 1, acknowledged: 1, acknowledgedInTime: 0, missedAckDeadline: 1, shareAcknowledgedInTime: 0, remediated: 0, missedRemediationDeadline: 0, shareRemediatedInTime: null });
    // hp's w0 lies before the period: only w1 counts, missed
    expect(measures.get('hp')?.own.warnings).toMatchObject({ received: 1, acknowledged: 0, acknowledgedInTime: 0, missedAckDeadline: 1, shareAcknowledgedInTime: 0 });
    expect(measures.get('hp')?.own.warnings.timeToAcknowledge.count).toBe(0);
  });

  it('counts overdue items now over every warning, whatever the period', () => {
    const hp = measures.get('hp')?.own.overdue;
    expect(hp).toMatchObject({ due: 3, acknowledgement: 2, remediation: 1 });
    expect(hp?.items.items.map((i) => `${i.warningId}:${i.what}`)).toEqual(['w0:acknowledgement', 'w0:remediation', 'w1:acknowledgement']);
    expect(hp?.items.items[2]).toMatchObject({ orgId: 'hp', deadline: iso(T0 + 24 * HOUR), overdueSeconds: 24 * 3600 });
    expect(measures.get('hn')?.own.overdue).toMatchObject({ due: 2, acknowledgement: 0, remediation: 0 });
  });

  it('counts open incidents by severity and times incidents created in the period', () => {
    const vn = measures.get('vn')?.subtree.incidents;
    expect(vn?.open).toBe(2);
    expect(vn?.openBySeverity).toEqual({ informational: 0, low: 0, medium: 0, high: 1, critical: 1 });
    expect(vn?.created).toBe(3);
    expect(vn?.timeToAcknowledge).toEqual({ count: 2, meanSeconds: 2700, medianSeconds: 2700, p90Seconds: 3420 });
    expect(vn?.timeToResolve).toEqual({ count: 1, meanSeconds: 14_400, medianSeconds: 14_400, p90Seconds: 14_400 });
    expect(measures.get('hp')?.own.incidents).toMatchObject({ open: 0, created: 1 });
  });

  it('lists systems with no sensor, systems that send nothing, unapproved plans and budgets under a tenth', () => {
    const hn = measures.get('hn')?.own;
    expect(hn?.coverage).toMatchObject({ systems: 2, reporting: 1, shareReporting: 0.5, withoutSensor: { count: 1, items: [{ id: 's2', name: 'System s2', orgId: 'hn' }] }, silent: { count: 0, items: [] } });
    // sen-a last sent 30 h ago: silent; hp's s4 has one of two sensors sending: reporting
    expect(measures.get('hn-a')?.own.coverage.silent).toEqual({ count: 1, items: [{ id: 's3', name: 'System s3', orgId: 'hn-a', sensorIds: ['sen-a'] }] });
    expect(measures.get('hp')?.own.coverage).toMatchObject({ systems: 1, reporting: 1 });
    expect(hn?.securityPlanUnapproved.items.map((s) => s.id)).toEqual(['s2']);
    expect(measures.get('hn-a')?.own.securityBudget).toEqual({ known: 1, belowMinimum: { count: 1, items: [{ id: 's3', name: 'System s3', orgId: 'hn-a' }] } });
    // a zero total is not a known share
    expect(measures.get('hp')?.own.securityBudget).toEqual({ known: 0, belowMinimum: { count: 0, items: [] } });
  });

  it('rolls each subtree up: counts summed, samples pooled, lists joined', () => {
    const hn = measures.get('hn')?.subtree;
    expect(hn?.warnings).toMatchObject({ received: 3, acknowledged: 3, acknowledgedInTime: 2, missedAckDeadline: 1 });
    expect(hn?.warnings.shareAcknowledgedInTime).toBeCloseTo(2 / 3, 12);
    // pooled samples 1 h, 3 h, 30 h: the median of the pool, not of the organisations' medians
    expect(hn?.warnings.timeToAcknowledge).toMatchObject({ count: 3, medianSeconds: 10_800, p90Seconds: 88_560 });
    const vn = measures.get('vn')?.subtree;
    expect(vn?.warnings).toMatchObject({ received: 4, acknowledgedInTime: 2, missedAckDeadline: 2, shareAcknowledgedInTime: 0.5, remediatedInTime: 2, missedRemediationDeadline: 0 });
    expect(vn?.overdue).toMatchObject({ due: 6, acknowledgement: 2, remediation: 1 });
    expect(vn?.coverage).toMatchObject({ systems: 4, reporting: 2, shareReporting: 0.5 });
    expect(vn?.coverage.withoutSensor.items.map((s) => s.id)).toEqual(['s2']);
    expect(vn?.coverage.silent.items.map((s) => s.id)).toEqual(['s3']);
    expect(vn?.securityPlanUnapproved.items.map((s) => s.id)).toEqual(['s2', 's4']);
    expect(vn?.securityBudget).toMatchObject({ known: 2, belowMinimum: { count: 1 } });
    // the root has no records of its own
    expect(measures.get('vn')?.own.warnings.received).toBe(0);
    expect(measures.get('vn')?.own.coverage.systems).toBe(0);
    // a leaf's subtree is itself
    expect(measures.get('hn-a')?.subtree).toEqual(measures.get('hn-a')?.own);
  });

  it('keeps lists to the limit and their counts exact', () => {
    const limited = computeMeasures({ ...inputs, listLimit: 1 }).get('vn')?.subtree;
    expect(limited?.securityPlanUnapproved).toEqual({ count: 2, items: [{ id: 's2', name: 'System s2', orgId: 'hn' }] });
    expect(limited?.overdue.items.count).toBe(3);
    expect(limited?.overdue.items.items).toHaveLength(1);
  });

  it('gives nulls, not zeros, where there is nothing to measure', () => {
    const empty = computeMeasures({ ...inputs, recipients: [], incidents: [], systems: [] }).get('vn')?.subtree;
    expect(empty?.warnings.shareAcknowledgedInTime).toBeNull();
    expect(empty?.warnings.timeToAcknowledge.medianSeconds).toBeNull();
    expect(empty?.coverage.shareReporting).toBeNull();
    expect(empty?.overdue.due).toBe(0);
  });

  it('honours the silence window', () => {
    const week = computeMeasures({ ...inputs, silenceMs: 7 * DAY }).get('hn-a')?.own.coverage;
    expect(week).toMatchObject({ reporting: 1, silent: { count: 0 } });
  });
});
