import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { EcsEvent } from '../core/event.js';
import type { Alert, OrgKind, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { InformationSystem, InstalledSoftware } from '../inventory/model.js';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/open.js';
import { CampaignService, campaignKeys, payloadFamily } from './campaigns.js';
import type { Notification, NotificationSink } from './notification.js';
import { resolveTargets } from './targeting.js';
import type { Warning, WarningTargets } from './warning-model.js';
import { WarningService } from './warning-service.js';

const system = Scope.system('warnings test');
const T0 = Date.UTC(2026, 10, 25, 8, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

const org = (id: string, parentId: string | null, kind: OrgKind, sector: string | null = null, region: string | null = null): Organization => ({
  id, parentId, code: id.toUpperCase(), nameVi: id, nameEn: id, kind, sector, region, demo: false, createdAt: iso(T0),
});

const tree: Organization[] = [
  org('vn', null, 'national'),
  org('byt', 'vn', 'ministry', 'y-te', null),
  org('btc', 'vn', 'ministry', 'tai-chinh', null),
  org('hn', 'vn', 'province', 'dia-phuong', 'bac'),
  org('hn-soyt', 'hn', 'agency', 'y-te', 'bac'),
  org('hp', 'vn', 'province', 'dia-phuong', 'bac'),
  org('hcm', 'vn', 'province', 'dia-phuong', 'nam'),
  org('ct', 'vn', 'province', 'dia-phuong', 'nam'),
  org('firm', 'vn', 'alliance', 'an-ninh-mang', 'bac'),
];

const sw = (vendor: string, product: string, version: string | null): InstalledSoftware => ({ cpe: `cpe:2.3:a:${vendor}:${product}:${version ?? '*'}:*:*:*:*:*:*:*`, part: 'a', vendor, product, version });
function sys(id: string, orgId: string, level: 1 | 2 | 3 | 4 | 5, software: InstalledSoftware[]): InformationSystem {
  return {
    id, orgId, name: id, description: null, owner: { unit: 'IT', person: null, contact: null }, securityLevel: level, hostnames: [], urls: [], ipRanges: [], software, sensorIds: [],
    securityPlan: { approved: true, approvedOn: '2026-01-01' }, budget: { currency: 'VND', total: null, security: null }, securityBudgetShare: null, securityBudgetBelowMinimum: false,
    createdAt: iso(T0), updatedAt: iso(T0),
  };
}
const systems = [
  sys('s-hn', 'hn', 3, [sw('apache', 'struts', '2.5.30')]),
  sys('s-byt', 'byt', 4, [sw('apache', 'struts', '6.3.0')]),
  sys('s-btc', 'btc', 2, [sw('microsoft', 'iis', '10.0')]),
  sys('s-hcm', 'hcm', 4, [sw('apache', 'struts', null)]),
];

const recipients = (targets: WarningTargets, reach: ReadonlySet<string> | null = null) => resolveTargets({ targets, orgs: tree, systems, reach }).map((r) => r.orgId);

describe('targeting', () => {
  it('resolves selectors exactly, all of them together, alliance members only by name', () => {
    expect(recipients({ sectors: ['y-te'] })).toEqual(['byt', 'hn-soyt']);
    expect(recipients({ regions: ['bac'] })).toEqual(['hn', 'hn-soyt', 'hp']);
    expect(recipients({ regions: ['BAC'], sectors: ['y-te'] })).toEqual(['hn-soyt']);
    expect(recipients({ kinds: ['province'], regions: ['nam'] })).toEqual(['ct', 'hcm']);
    expect(recipients({ subtrees: ['HN'] })).toEqual(['hn', 'hn-soyt']);
    expect(recipients({ orgs: ['FIRM', 'btc'] })).toEqual(['btc', 'firm']);
  });

  it('matches software per system, with versions (unknown counts as exposed) and security levels', () => {
    expect(recipients({ software: [{ vendor: 'apache', product: 'struts' }] })).toEqual(['byt', 'hcm', 'hn']);
    expect(recipients({ software: [{ product: 'Struts', maxVersion: '2.5.33' }] })).toEqual(['hcm', 'hn']);
    expect(recipients({ software: [{ product: 'struts' }], minSecurityLevel: 4 })).toEqual(['byt', 'hcm']);
    const [hn] = resolveTargets({ targets: { software: [{ product: 'struts', maxVersion: '2.5.33' }] }, orgs: tree, systems, reach: null });
    expect(hn).toEqual({ orgId: 'hcm', reasons: ['software:apache/struts<=2.5.33'], systemIds: ['s-hcm'] });
  });

  it('joins alternatives, minus exclusions, and stays inside the issuer’s reach', () => {
    expect(recipients({ anyOf: [{ kinds: ['province'] }, { software: [{ product: 'struts' }] }], exclude: ['hn', 'hcm'] })).toEqual(['byt', 'ct', 'hp']);
    expect(recipients({ regions: ['bac'] }, new Set(['hn', 'hn-soyt']))).toEqual(['hn', 'hn-soyt']);
    expect(() => recipients({ orgs: ['hcm'] }, new Set(['hn', 'hn-soyt']))).toThrow(/outside your reach/);
    expect(() => recipients({ orgs: ['nowhere'] })).toThrow(/unknown/);
  });
});

class RecordingSink implements NotificationSink {
  readonly queued: Notification[] = [];
  enqueue(notifications: readonly Notification[]): void {
    for (const n of notifications) if (!this.queued.some((q) => q.id === n.id)) this.queued.push(n);
  }
}

describe('warnings and escalation', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: ManualClock;
  let sink: RecordingSink;
  let service: WarningService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-warnings-'));
    store = openSqliteStore({ path: join(dir, 'v.db') });
    for (const o of tree) store.orgs.create(system, o);
    for (const s of systems) store.systems.create(system, { ...s });
    clock = new ManualClock(T0);
    sink = new RecordingSink();
    service = new WarningService(store, sink, clock, { stepMinutes: 60 });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const draft = (id: string, tlp: Warning['tlp'], targets: WarningTargets, issuer = 'vn'): Warning =>
    store.warnings.create(system, {
      id, kind: 'advisory', source: 'analyst', campaignId: null, issuerOrgId: issuer, severity: 'high', tlp,
      title: { vi: 'Lỗ hổng Struts', en: 'Struts vulnerability' }, text: { vi: 'Cập nhật ngay', en: 'Update now' },
      indicators: [{ type: 'ipv4', value: '203.0.113.7' }], actions: [], references: ['CVE-2023-50164'], targets,
      ackDeadline: iso(T0 + 2 * HOUR), remediationDeadline: iso(T0 + 10 * HOUR), status: 'draft', createdAt: iso(T0), createdBy: 'usr_analyst', issuedAt: null, issuedBy: null, recipientCount: 0,
    });
  const viewer = (orgId: string) => ({ scope: Scope.subtree(orgId, { subtreeIds: (id) => tree.filter((o) => o.id === id || o.parentId === id || tree.find((p) => p.id === o.parentId)?.parentId === id).map((o) => o.id), isRoot: (id) => id === 'vn' }), orgId });

  it('issues to the resolved recipients, one remediation per system, one notification each', () => {
    draft('w1', 'amber', { software: [{ product: 'struts' }] });
    const { warning, recipients: rs } = service.issue(system, 'w1', 'usr_analyst');
    expect(warning).toMatchObject({ status: 'issued', recipientCount: 3 });
    expect(rs.map((r) => r.orgId).sort()).toEqual(['byt', 'hcm', 'hn']);
    expect(rs.find((r) => r.orgId === 'hn')?.remediation).toEqual([{ systemId: 's-hn', status: 'pending', evidence: null, reportedBy: null, reportedAt: null }]);
    expect(sink.queued.map((n) => n.orgId).sort()).toEqual(['byt', 'hcm', 'hn']);
    expect(sink.queued[0]).toMatchObject({ kind: 'warning', subjectId: 'w1', tlp: 'amber', link: '/warnings/w1' });
    expect(() => service.issue(system, 'w1', 'usr_analyst')).toThrow(/only a draft/);
  });

  it('shows each warning only to whom TLP lets see it', () => {
    draft('amber', 'amber', { orgs: ['hn-soyt'] });
    draft('strict', 'amber+strict', { orgs: ['hn-soyt'] });
    draft('green', 'green', { orgs: ['hn-soyt'] });
    draft('draft-only', 'clear', { orgs: ['hn-soyt'] });
    for (const id of ['amber', 'strict', 'green']) service.issue(system, id, 'usr_analyst');
    const seen = (orgId: string) => store.warnings.list(viewer(orgId), { limit: 100 }).items.map((w) => w.id).sort();
    expect(seen('hn-soyt')).toEqual(['amber', 'green', 'strict']);
    expect(seen('hn')).toEqual(['amber', 'green']);
    expect(seen('hcm')).toEqual(['green']);
    expect(seen('vn')).toEqual(['amber', 'draft-only', 'green', 'strict']);
    expect(store.warnings.get(viewer('hcm'), 'amber')).toBeNull();
    expect(store.warnings.recipients(viewer('hn'), 'amber').map((r) => r.orgId)).toEqual(['hn-soyt']);
  });

  it('escalates an unacknowledged warning to the parent at the deadline, then to the centre, once each', () => {
    draft('w2', 'amber', { orgs: ['hn-soyt', 'hp'] });
    service.issue(system, 'w2', 'usr_analyst');
    store.warnings.acknowledge(Scope.single('hp'), 'w2', 'hp', 'usr_hp', iso(T0 + HOUR));
    sink.queued.length = 0;
    clock.set(T0 + 2 * HOUR - 1);
    expect(service.escalate()).toEqual([]);
    clock.set(T0 + 2 * HOUR + 1);
    const first = service.escalate();
    expect(first.map((n) => `${n.kind} ${n.orgId} ${(n.data['escalation'] as { what: string }).what}`)).toEqual(['escalation hn acknowledgement']);
    expect(service.escalate()).toEqual([]);
    clock.set(T0 + 3 * HOUR + 1);
    expect(service.escalate().map((n) => n.orgId)).toEqual(['vn']);
    clock.set(T0 + 100 * HOUR);
    // Remediation: both overdue now; hp's parent is the centre, so it gets one step only.
    const later = service.escalate().map((n) => `${n.orgId} ${(n.data['escalation'] as { what: string; step: number }).what}`).sort();
    expect(later).toEqual(['hn remediation', 'vn remediation']);
    expect(service.escalate().map((n) => n.orgId)).toEqual(['vn']);
    expect(service.escalate()).toEqual([]);
  });

  it('stops escalating remediation once every system is remediated or not affected, with evidence', () => {
    draft('w3', 'red', { software: [{ product: 'struts' }] });
    service.issue(system, 'w3', 'usr_analyst');
    for (const o of ['byt', 'hcm', 'hn']) store.warnings.acknowledge(Scope.single(o), 'w3', o, `usr_${o}`, iso(T0));
    store.warnings.reportRemediation(Scope.single('hn'), 'w3', 'hn', [{ systemId: 's-hn', status: 'remediated', evidence: 'Upgraded to 6.3.0.2', reportedBy: 'usr_hn', reportedAt: iso(T0) }]);
    store.warnings.reportRemediation(Scope.single('byt'), 'w3', 'byt', [{ systemId: 's-byt', status: 'not-affected', evidence: 'Already on 6.3', reportedBy: 'usr_byt', reportedAt: iso(T0) }]);
    expect(() => store.warnings.reportRemediation(Scope.single('hcm'), 'w3', 'hcm', [{ systemId: 's-hn', status: 'remediated', evidence: 'x', reportedBy: 'u', reportedAt: iso(T0) }])).toThrow(/not among/);
    expect(() => store.warnings.acknowledge(Scope.single('hcm'), 'w3', 'hn', 'u', iso(T0))).toThrow();
    sink.queued.length = 0;
    clock.set(T0 + 11 * HOUR);
    const escalations = service.escalate();
    expect(escalations.map((n) => n.orgId)).toEqual(['vn']);
    // RED: the centre learns that hcm is overdue, not what the warning said.
    expect(escalations[0]?.title.en).toMatch(/^Overdue remediation: HCM .* warning w3$/);
    expect(JSON.stringify(escalations[0]?.data)).not.toContain('Struts');
  });
});

function webAlert(id: string, orgId: string, minute: number, seq: number, decoded: string, systemId: string | null = null): Alert {
  return {
    id, orgId, ruleId: 'vigil-web-sqli', ruleTitle: 'SQL injection (transaction analysis)', kind: 'detection', severity: 'high', tags: ['attack.t1190'],
    eventTime: iso(T0 + minute * 60_000), createdAt: iso(T0), eventSeqs: [seq], matchedFields: ['args.id'], group: null,
    details: { evidence: [{ location: 'args.id', decoded }] }, systemId, status: 'open', resolution: null, acknowledgedBy: null, acknowledgedAt: null, closedBy: null, closedAt: null, note: null,
  };
}

describe('campaigns', () => {
  let dir: string;
  let store: SqliteStore;
  let clock: ManualClock;
  let sink: RecordingSink;
  const events = new Map<number, EcsEvent>();
  const eventOf = (seq: number) => events.get(seq) ?? null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-campaigns-'));
    store = openSqliteStore({ path: join(dir, 'v.db') });
    for (const o of tree) store.orgs.create(system, o);
    for (const s of systems) store.systems.create(system, { ...s });
    clock = new ManualClock(T0 + HOUR);
    sink = new RecordingSink();
    events.clear();
    for (let seq = 1; seq <= 10; seq++) events.set(seq, { '@timestamp': iso(T0), source: { ip: seq <= 5 ? '203.0.113.66' : '198.51.100.1' } } as unknown as EcsEvent);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the same exploit into one payload family', () => {
    expect(payloadFamily('sqli', "1' UNION SELECT user,pass FROM users--")).toBe(payloadFamily('sqli', '2"  union select user,pass from users--'));
    expect(payloadFamily('sqli', "1' UNION SELECT user,pass FROM users--")).not.toBe(payloadFamily('sqli', "1' OR '1'='1"));
    const keys = campaignKeys(webAlert('a', 'hn', 0, 1, "1' union select 1--"), events.get(1) ?? null, ['indicator', 'source', 'payload', 'rule']);
    expect(keys.map((k) => k.type)).toEqual(['source', 'payload']);
  });

  it('opens a campaign when the second organisation is hit, warns who may be next (and no one else), publishes its indicators', () => {
    const warnings = new WarningService(store, sink, clock);
    const campaigns = new CampaignService(store, warnings, clock, { policy: 'auto', targetBy: ['sector', 'software'] });
    expect(campaigns.observe([webAlert('a1', 'hn', 0, 1, "1' union select 1--", 's-hn')], eventOf)).toEqual([]);
    const opened = campaigns.observe([webAlert('a2', 'hcm', 5, 2, "7' union select 1--", 's-hcm')], eventOf);
    // One campaign: the payload family (the most precise key); the same alerts' source address joins it.
    expect(opened.map((c) => c.keyType)).toEqual(['payload']);
    for (const c of opened) expect(c).toMatchObject({ status: 'confirmed', orgIds: ['hn', 'hcm'], confirmedBy: 'system' });
    const source = opened[0];
    expect(source?.indicators).toEqual([{ type: 'ipv4', value: '203.0.113.66' }]);
    expect(source?.warnedAt).not.toBeNull();
    // Other provinces (same sector) and the ministry running Struts; not the hit ones, not the ministry of finance, not the alliance.
    const warned = new Set(sink.queued.filter((n) => n.subjectId === source?.warningId).map((n) => n.orgId));
    expect([...warned].sort()).toEqual(['byt', 'ct', 'hp']);
    expect(sink.queued.every((n) => n.kind === 'campaign')).toBe(true);
    const published = store.indicators.list({ orgId: 'vn', chain: [], subtree: null }, { now: clock.now(), limit: 10, value: '203.0.113.66' });
    expect(published.items.map((i) => `${i.source.slice(0, 9)} ${i.tlp}`)).toContain('campaign: amber');
    // A third province later joins the same campaign instead of opening another.
    const grown = campaigns.observe([webAlert('a3', 'ct', 30, 3, "9' union select 1--")], eventOf);
    expect(grown.map((c) => c.id).sort()).toEqual(opened.map((c) => c.id).sort());
    expect(store.campaigns.list({ limit: 10 }).items).toHaveLength(1);
    expect(store.campaigns.get(source?.id as string)?.orgIds).toEqual(['hn', 'hcm', 'ct']);
  });

  it('with the confirm policy, waits for an analyst; dismissed campaigns warn no one', () => {
    const campaigns = new CampaignService(store, new WarningService(store, sink, clock), clock, { keys: ['source'] });
    const [c] = campaigns.observe([webAlert('a1', 'hn', 0, 1, 'x'), webAlert('a2', 'hp', 1, 2, 'y')], eventOf);
    expect(c).toMatchObject({ status: 'detected', warningId: null });
    expect(sink.queued).toEqual([]);
    const confirmed = campaigns.confirm(c?.id as string, 'usr_centre');
    expect(confirmed.recipients).toBeGreaterThan(0);
    expect(() => campaigns.confirm(c?.id as string, 'usr_centre')).toThrow(/confirmed/);
    const [other] = campaigns.observe([webAlert('b1', 'hn', 2, 6, 'x'), webAlert('b2', 'hcm', 3, 7, 'y')], eventOf);
    campaigns.dismiss(other?.id as string, 'usr_centre');
    expect(store.campaigns.get(other?.id as string)?.status).toBe('dismissed');
  });

  it('never opens a campaign from one organisation, or from hits outside the window', () => {
    const campaigns = new CampaignService(store, null, clock, { keys: ['source'], windowHours: 1 });
    expect(campaigns.observe([webAlert('a1', 'hn', 0, 1, 'x'), webAlert('a2', 'hn', 1, 2, 'x')], eventOf)).toEqual([]);
    expect(campaigns.observe([webAlert('a3', 'hcm', 180, 3, 'x')], eventOf)).toEqual([]);
  });
});
