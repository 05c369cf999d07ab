/**
 * @module warn/campaigns
 * Campaigns across organisations, and the early warning they give. Every new alert is observed
 * under its campaign keys — the threat-intelligence indicator it matched, its source address, its
 * payload family (the analyser's class and the decoded payload with numbers and quoting folded, so
 * the same exploit sent with another record id is the same family), and its rule when that is a
 * named rule — and when a key has been seen against `minOrgs` organisations within the window
 * (event time), a campaign opens. By policy it is confirmed at once (`auto`) or waits for the
 * centre's analysts (`confirm`). Confirming it warns every organisation it may reach next — the
 * same sector, the same region, or running the software of the systems hit — except those already
 * hit, with the addresses and indicators to block, and publishes those indicators to the
 * intelligence store for the alliance.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { EcsEvent } from '../core/event.js';
import { VigilError } from '../core/errors.js';
import type { Alert, AlertSeverity, Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Indicator, IndicatorType, Tlp } from '../intel/model.js';
import { normaliseIndicator } from '../intel/normalise.js';
import type { Store } from '../store/store.js';
import type { Campaign, CampaignKeyType } from './campaign-model.js';
import { techniqueOf } from './incident-grouper.js';
import { maxSeverity } from './incident-model.js';
import type { WarningTargets } from './warning-model.js';
import type { WarningService } from './warning-service.js';

const system = Scope.system('campaign detection');

export type CampaignTargetBy = 'sector' | 'region' | 'software';

export interface CampaignOptions {
  /** Organisations that must have seen a key within the window. */
  minOrgs: number;
  windowHours: number;
  /** `auto`: confirm and warn at once; `confirm`: wait for an analyst. */
  policy: 'auto' | 'confirm';
  keys: CampaignKeyType[];
  targetBy: CampaignTargetBy[];
  ackWithinHours: number;
  remediateWithinHours: number;
  warningTlp: Tlp;
  /** TLP of the indicators published to the intelligence store. */
  publishTlp: Tlp;
}

export const defaultCampaignOptions: CampaignOptions = {
  minOrgs: 2,
  windowHours: 24,
  policy: 'confirm',
  keys: ['indicator', 'source', 'payload', 'rule'],
  targetBy: ['sector', 'region', 'software'],
  ackWithinHours: 24,
  remediateWithinHours: 72,
  warningTlp: 'amber',
  publishTlp: 'amber',
};

export interface CampaignKey {
  type: CampaignKeyType;
  value: string;
}

function eventField(event: EcsEvent | null, path: readonly string[]): string | null {
  let value: unknown = event;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The payload family of decoded evidence: lower-cased, numbers to `0`, quotes and whitespace runs
 * folded — the same exploit against another record, with other spacing or quoting, is the same.
 */
export function payloadFamily(cls: string, decoded: string): string {
  const folded = decoded.toLowerCase().replace(/\d+/g, '0').replace(/["'`]/g, "'").replace(/\s+/g, ' ').trim();
  return `${cls}:${createHash('sha256').update(folded).digest('hex').slice(0, 20)}`;
}

/** The campaign keys of an alert (see the module comment). */
export function campaignKeys(alert: Alert, event: EcsEvent | null, enabled: readonly CampaignKeyType[]): CampaignKey[] {
  const keys: CampaignKey[] = [];
  const on = new Set(enabled);
  const indicator = alert.details?.indicator;
  // Indicators a campaign published itself would only open the same campaign again.
  if (indicator && on.has('indicator') && !indicator.source.startsWith('campaign:')) keys.push({ type: 'indicator', value: `${indicator.type}:${indicator.value}` });
  if (on.has('source') && alert.kind !== 'behaviour') {
    const ip = alert.group?.['source.ip'] ?? eventField(event, ['source', 'ip']) ?? eventField(event, ['client', 'ip']);
    if (ip) keys.push({ type: 'source', value: ip });
  }
  const evidence = alert.details?.evidence?.[0];
  if (on.has('payload') && evidence && alert.ruleId.startsWith('vigil-web-')) keys.push({ type: 'payload', value: payloadFamily(alert.ruleId.slice('vigil-web-'.length), evidence.decoded) });
  // Named rules only: the analyser's classes and behaviour kinds say what, not who.
  if (on.has('rule') && !alert.ruleId.startsWith('vigil-')) keys.push({ type: 'rule', value: alert.ruleId });
  return keys;
}

function campaignId(key: CampaignKey, firstSeen: string): string {
  return `cmp_${createHash('sha256').update(`${key.type}\u0000${key.value}\u0000${firstSeen}`).digest('hex').slice(0, 32)}`;
}

function ipType(value: string): IndicatorType {
  return value.includes(':') ? 'ipv6' : 'ipv4';
}

export class CampaignService {
  private readonly options: CampaignOptions;

  constructor(
    private readonly store: Store,
    private readonly warnings: WarningService | null,
    private readonly clock: Clock,
    options: Partial<CampaignOptions> = {},
  ) {
    this.options = { ...defaultCampaignOptions, ...options };
  }

  /** Observes new alerts (detection, after they are stored); returns campaigns opened or grown. */
  observe(alerts: readonly Alert[], eventOf: (seq: number) => EcsEvent | null): Campaign[] {
    if (alerts.length === 0) return [];
    const observations: { alertId: string; key: string; orgId: string; eventTime: string }[] = [];
    const touched = new Map<string, { key: CampaignKey; alerts: Alert[]; events: (EcsEvent | null)[] }>();
    for (const alert of alerts) {
      const seq = alert.eventSeqs[0];
      const event = seq === undefined ? null : eventOf(seq);
      for (const key of campaignKeys(alert, event, this.options.keys)) {
        const name = `${key.type}:${key.value}`;
        observations.push({ alertId: alert.id, key: name, orgId: alert.orgId, eventTime: alert.eventTime });
        let t = touched.get(name);
        if (!t) {
          t = { key, alerts: [], events: [] };
          touched.set(name, t);
        }
        t.alerts.push(alert);
        t.events.push(event);
      }
    }
    this.store.campaigns.observe(observations);
    const out: Campaign[] = [];
    const windowMs = this.options.windowHours * 3_600_000;
    // Keys in order of precision: an indicator names the threat, a payload family the exploit, a
    // source the attacker; the same alerts under a less precise key join the campaign already open.
    const order: readonly CampaignKeyType[] = ['indicator', 'payload', 'source', 'rule'];
    const keysInOrder = [...touched.entries()].sort((a, b) => order.indexOf(a[1].key.type) - order.indexOf(b[1].key.type));
    for (const [name, t] of keysInOrder) {
      const latest = Math.max(...t.alerts.map((a) => Date.parse(a.eventTime)));
      const since = new Date(latest - windowMs).toISOString();
      const orgs = this.store.campaigns.orgsFor(name, since);
      if (orgs.length < this.options.minOrgs) continue;
      const orgIds = orgs.map((o) => o.orgId);
      const alertIds = orgs.flatMap((o) => o.alertIds);
      const alertCount = orgs.reduce((n, o) => n + o.alerts, 0);
      const severity = t.alerts.reduce<AlertSeverity>((s, a) => maxSeverity(s, a.severity), 'informational');
      const active = this.store.campaigns.findActive(t.key.type, t.key.value, since) ?? this.store.campaigns.campaignOfAlerts(alertIds);
      const indicators = this.indicatorsOf(t.key, t.alerts, t.events, active?.indicators ?? []);
      const software = this.softwareOf(t.alerts, active?.software ?? []);
      if (active) {
        const grown = this.store.campaigns.update(active.id, {
          orgIds: [...active.orgIds, ...orgIds.filter((id) => !active.orgIds.includes(id))],
          alertCount: Math.max(active.alertCount, alertCount),
          severity: maxSeverity(active.severity, severity),
          indicators,
          software,
          lastSeen: new Date(Math.max(latest, Date.parse(active.lastSeen))).toISOString(),
        });
        this.store.campaigns.linkAlerts(active.id, alertIds);
        if (!out.some((c) => c.id === grown.id)) out.push(grown);
        continue;
      }
      const first = orgs[0]?.first ?? new Date(latest).toISOString();
      const technique = techniqueOf(t.alerts[0] as Alert);
      const campaign = this.store.campaigns.create({
        id: campaignId(t.key, first),
        keyType: t.key.type,
        keyValue: t.key.value,
        status: 'detected',
        title: `${(t.alerts[0] as Alert).ruleTitle} — ${t.key.type} ${t.key.type === 'payload' ? t.key.value.split(':')[0] : t.key.value}`.slice(0, 300),
        technique,
        severity,
        orgIds,
        alertCount,
        indicators,
        software,
        firstSeen: first,
        lastSeen: new Date(latest).toISOString(),
        detectedAt: new Date(this.clock.now()).toISOString(),
        confirmedBy: null,
        confirmedAt: null,
        warningId: null,
        warnedAt: null,
      });
      this.store.campaigns.linkAlerts(campaign.id, alertIds);
      out.push(this.options.policy === 'auto' && this.warnings !== null ? this.confirm(campaign.id, 'system').campaign : campaign);
    }
    return out;
  }

  private indicatorsOf(key: CampaignKey, alerts: readonly Alert[], events: readonly (EcsEvent | null)[], known: Campaign['indicators']): Campaign['indicators'] {
    const out = [...known];
    const add = (type: string, value: string): void => {
      if (out.length < 500 && !out.some((i) => i.type === type && i.value === value)) out.push({ type, value });
    };
    if (key.type === 'indicator') {
      const colon = key.value.indexOf(':');
      add(key.value.slice(0, colon), key.value.slice(colon + 1));
    }
    alerts.forEach((alert, i) => {
      const ip = alert.group?.['source.ip'] ?? eventField(events[i] ?? null, ['source', 'ip']);
      if (ip && alert.kind !== 'behaviour') add(ipType(ip), ip);
    });
    return out;
  }

  private softwareOf(alerts: readonly Alert[], known: Campaign['software']): Campaign['software'] {
    const out = [...known];
    for (const alert of alerts) {
      if (!alert.systemId) continue;
      const found = this.store.systems.get(system, alert.systemId);
      for (const s of found?.software ?? []) {
        if (out.length < 100 && !out.some((o) => o.vendor === s.vendor && o.product === s.product && o.version === s.version)) out.push({ vendor: s.vendor, product: s.product, version: s.version });
      }
    }
    return out;
  }

  /** The targets of a campaign's warning: who it may reach next (module comment). */
  targetsOf(campaign: Campaign, orgs: readonly Organization[]): WarningTargets {
    const hit = orgs.filter((o) => campaign.orgIds.includes(o.id));
    const anyOf: NonNullable<WarningTargets['anyOf']> = [];
    const by = new Set(this.options.targetBy);
    const sectors = [...new Set(hit.map((o) => o.sector).filter((s): s is string => s !== null))];
    const regions = [...new Set(hit.map((o) => o.region).filter((s): s is string => s !== null))];
    if (by.has('sector') && sectors.length > 0) anyOf.push({ sectors });
    if (by.has('region') && regions.length > 0) anyOf.push({ regions });
    const products = [...new Map(campaign.software.map((s) => [`${s.vendor}/${s.product}`, { vendor: s.vendor, product: s.product }])).values()];
    if (by.has('software') && products.length > 0) anyOf.push({ software: products });
    return { anyOf, exclude: campaign.orgIds };
  }

  /**
   * Confirms a campaign: issues its early warning to the organisations it may reach next (none:
   * no warning, said so in the result) and publishes its indicators. `by` is a user id or `system`.
   */
  confirm(id: string, by: string): { campaign: Campaign; warningId: string | null; recipients: number } {
    if (this.warnings === null) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: 'warnings are not available here' });
    const current = this.store.campaigns.get(id);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Campaign', id });
    if (current.status !== 'detected') throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `campaign ${id} is ${current.status}` });
    const at = new Date(this.clock.now()).toISOString();
    const orgs = this.store.orgs.list(system);
    const root = orgs.find((o) => o.parentId === null);
    if (!root) throw new VigilError('VIGIL_ERR_CONFLICT', { detail: 'no national centre in the tree' });
    let campaign = this.store.campaigns.update(id, { status: 'confirmed', confirmedBy: by, confirmedAt: at });
    this.publish(campaign, root.id, at);
    const targets = this.targetsOf(campaign, orgs);
    if ((targets.anyOf ?? []).length === 0 || this.warnings.preview(system, targets).length === 0) return { campaign, warningId: null, recipients: 0 };
    const ms = this.clock.now();
    const indicatorsText = campaign.indicators.slice(0, 50).map((i) => `${i.type}: ${i.value}`).join('\n');
    const warning = this.store.warnings.create(system, {
      id: `wrn_${createHash('sha256').update(`campaign\u0000${campaign.id}`).digest('hex').slice(0, 32)}`,
      kind: 'warning',
      source: 'campaign',
      campaignId: campaign.id,
      issuerOrgId: root.id,
      severity: campaign.severity === 'informational' ? 'low' : campaign.severity,
      tlp: this.options.warningTlp,
      title: {
        vi: `Cảnh báo sớm: chiến dịch tấn công đang diễn ra (${campaign.orgIds.length} cơ quan đã bị tấn công)`,
        en: `Early warning: an attack campaign is under way (${campaign.orgIds.length} organisations hit)`,
      },
      text: {
        vi: `Trung tâm phát hiện cùng một kiểu tấn công (${campaign.title}; kỹ thuật ${campaign.technique.toUpperCase()}) nhằm vào ${campaign.orgIds.length} cơ quan từ ${campaign.firstSeen}. Cơ quan của bạn có thể là mục tiêu tiếp theo.\n\nChỉ dấu cần chặn:\n${indicatorsText || '(không có)'}`,
        en: `The centre has seen the same attack (${campaign.title}; technique ${campaign.technique.toUpperCase()}) against ${campaign.orgIds.length} organisations since ${campaign.firstSeen}. Your organisation may be next.\n\nIndicators to block:\n${indicatorsText || '(none)'}`,
      },
      indicators: campaign.indicators,
      actions: [
        { vi: 'Chặn các địa chỉ và chỉ dấu trên tại tường lửa và WAF.', en: 'Block the addresses and indicators above at the firewall and WAF.' },
        { vi: 'Rà soát nhật ký truy cập 7 ngày qua tìm các chỉ dấu này.', en: 'Search the last 7 days of access logs for these indicators.' },
        ...(campaign.software.length > 0
          ? [{ vi: `Kiểm tra và cập nhật: ${campaign.software.map((s) => `${s.vendor} ${s.product}`).join(', ')}.`, en: `Check and update: ${campaign.software.map((s) => `${s.vendor} ${s.product}`).join(', ')}.` }]
          : []),
      ],
      references: [],
      targets,
      ackDeadline: new Date(ms + this.options.ackWithinHours * 3_600_000).toISOString(),
      remediationDeadline: new Date(ms + this.options.remediateWithinHours * 3_600_000).toISOString(),
      status: 'draft',
      createdAt: at,
      createdBy: by,
      issuedAt: null,
      issuedBy: null,
      recipientCount: 0,
    });
    const { recipients } = this.warnings.issue(system, warning.id, by);
    campaign = this.store.campaigns.update(id, { warningId: warning.id, warnedAt: new Date(this.clock.now()).toISOString() });
    return { campaign, warningId: warning.id, recipients: recipients.length };
  }

  dismiss(id: string, by: string): Campaign {
    const current = this.store.campaigns.get(id);
    if (!current) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Campaign', id });
    if (current.status !== 'detected') throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `campaign ${id} is ${current.status}` });
    return this.store.campaigns.update(id, { status: 'dismissed', confirmedBy: by, confirmedAt: new Date(this.clock.now()).toISOString() });
  }

  /** The campaign's addresses and indicators, to the intelligence store under the centre (TLP `publishTlp`). */
  private publish(campaign: Campaign, rootId: string, at: string): void {
    const indicators: Indicator[] = [];
    for (const i of campaign.indicators) {
      const type = i.type as IndicatorType;
      const normalised = normaliseIndicator(type, i.value);
      if ('error' in normalised) continue;
      indicators.push({
        id: `ind_${createHash('sha256').update(`${campaign.id}\u0000${type}\u0000${normalised.value}`).digest('hex').slice(0, 32)}`,
        type,
        value: normalised.value,
        source: `campaign:${campaign.id}`,
        confidence: 80,
        firstSeen: campaign.firstSeen,
        lastSeen: campaign.lastSeen,
        validUntil: new Date(Date.parse(at) + 90 * 86_400_000).toISOString(),
        killChain: [],
        attack: /^t\d{4}$/.test(campaign.technique) ? [campaign.technique.toUpperCase()] : [],
        labels: ['campaign'],
        description: `${campaign.title} (${campaign.orgIds.length} organisations)`,
        tlp: this.options.publishTlp,
        ownerOrgId: rootId,
        sharedWith: [],
        stixId: null,
        revoked: false,
        createdAt: at,
        updatedAt: at,
      });
    }
    if (indicators.length > 0) this.store.indicators.upsert(system, indicators);
  }
}

