/**
 * @module warn/warning-service
 * Issuing warnings and following them to the end. `preview` resolves the targets against the tree
 * and the inventory and shows who will receive it; `issue` resolves them again at that moment,
 * records one recipient per organisation (with the systems concerned, each remediation pending)
 * and hands one notification per recipient to delivery. The escalation step (`escalate`, run on a
 * schedule) finds recipients past a deadline — acknowledgement, or remediation — and tells the
 * recipient's parent, then, one step later, the centre; each step once, even across restarts.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import type { Organization } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Store, WarningViewer } from '../store/store.js';
import type { Notification, NotificationSink } from './notification.js';
import { resolveTargets, type ResolvedRecipient } from './targeting.js';
import type { RemediationReport, Warning, WarningRecipient, WarningTargets } from './warning-model.js';

const system = Scope.system('warnings: targeting and escalation');

export interface EscalationOptions {
  /** Time between escalation steps after a deadline passes: deadline → parent, + step → centre. */
  stepMinutes: number;
}

export const defaultEscalation: EscalationOptions = { stepMinutes: 24 * 60 };

function notificationId(parts: readonly string[]): string {
  return `ntf_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;
}

export class WarningService {
  private readonly escalation: EscalationOptions;

  constructor(
    private readonly store: Store,
    private readonly sink: NotificationSink,
    private readonly clock: Clock,
    escalation: Partial<EscalationOptions> = {},
  ) {
    this.escalation = { ...defaultEscalation, ...escalation };
  }

  private now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Who the targets reach from the issuer's scope, now. */
  preview(issuerScope: Scope, targets: WarningTargets): (ResolvedRecipient & { code: string; name: string })[] {
    const orgs = this.store.orgs.list(system);
    const reach = issuerScope.unrestricted ? null : new Set(issuerScope.orgIds() ?? []);
    const resolved = resolveTargets({ targets, orgs, systems: this.store.systems.list(system), reach });
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return resolved.map((r) => ({ ...r, code: byId.get(r.orgId)?.code ?? r.orgId, name: byId.get(r.orgId)?.nameVi ?? '' }));
  }

  /** Issues a draft: recipients resolved now, recorded, notified. */
  issue(scope: Scope, warningId: string, by: string): { warning: Warning; recipients: WarningRecipient[] } {
    const draft = this.store.warnings.getOwned(scope, warningId);
    if (!draft) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Warning', id: warningId });
    if (draft.status !== 'draft') throw new VigilError('VIGIL_ERR_CONFLICT', { detail: `warning ${warningId} is ${draft.status}; only a draft can be issued` });
    const resolved = this.preview(scope, draft.targets);
    if (resolved.length === 0) throw new VigilError('VIGIL_ERR_VALIDATION', { detail: 'the targets reach no organisation' }, { field: 'targets' });
    const at = this.now();
    const recipients: WarningRecipient[] = resolved.map((r) => ({
      warningId,
      orgId: r.orgId,
      reasons: r.reasons,
      systemIds: r.systemIds,
      notifiedAt: at,
      acknowledgedBy: null,
      acknowledgedAt: null,
      remediation: (r.systemIds.length > 0 ? r.systemIds : [null]).map((systemId): RemediationReport => ({ systemId, status: 'pending', evidence: null, reportedBy: null, reportedAt: null })),
      ackEscalation: 0,
      remediationEscalation: 0,
      lastEscalatedAt: null,
    }));
    const warning = this.store.warnings.issue(scope, warningId, by, at, recipients);
    this.sink.enqueue(recipients.map((r) => this.warningNotification(warning, r.orgId, at)));
    return { warning, recipients };
  }

  private warningNotification(warning: Warning, orgId: string, at: string): Notification {
    const deadline = (iso: string, lang: 'vi' | 'en'): string => (lang === 'vi' ? `Hạn xác nhận: ${iso}` : `Acknowledge by: ${iso}`);
    return {
      id: notificationId(['warning', warning.id, orgId]),
      kind: warning.source === 'campaign' ? 'campaign' : 'warning',
      subjectId: warning.id,
      orgId,
      severity: warning.severity,
      tlp: warning.tlp,
      title: warning.title,
      text: {
        vi: `${warning.text.vi}\n\n${deadline(warning.ackDeadline, 'vi')}\nHạn khắc phục: ${warning.remediationDeadline}`,
        en: `${warning.text.en}\n\n${deadline(warning.ackDeadline, 'en')}\nRemediate by: ${warning.remediationDeadline}`,
      },
      link: `/warnings/${warning.id}`,
      data: {
        warning: {
          id: warning.id, kind: warning.kind, severity: warning.severity, tlp: warning.tlp, title: warning.title, text: warning.text, indicators: warning.indicators,
          actions: warning.actions, references: warning.references, ackDeadline: warning.ackDeadline, remediationDeadline: warning.remediationDeadline, issuedAt: warning.issuedAt,
        },
        recipient: orgId,
      },
      createdAt: at,
    };
  }

  /**
   * Escalates every recipient whose next step is due; returns the notifications handed to delivery.
   * Step 1 goes to the recipient's parent, step 2 to the root (the centre). A recipient whose parent
   * is the root gets the centre at step 1 and nothing more at step 2.
   */
  escalate(): Notification[] {
    const nowMs = this.clock.now();
    const at = new Date(nowMs).toISOString();
    const due = this.store.warnings.overdue(system, nowMs, this.escalation.stepMinutes * 60_000);
    if (due.length === 0) return [];
    const orgs = new Map(this.store.orgs.list(system).map((o) => [o.id, o]));
    const root = [...orgs.values()].find((o) => o.parentId === null);
    const out: Notification[] = [];
    const warnings = new Map<string, Warning | null>();
    for (const { recipient, what, step } of due) {
      if (!this.store.warnings.markEscalated(system, recipient.warningId, recipient.orgId, what, step, at)) continue;
      const org = orgs.get(recipient.orgId);
      const target = step === 1 ? (org?.parentId ?? null) : (root?.id ?? null);
      if (target === null || (step === 2 && org?.parentId === root?.id)) continue;
      let warning = warnings.get(recipient.warningId);
      if (warning === undefined) {
        warning = this.store.warnings.getOwned(system, recipient.warningId);
        warnings.set(recipient.warningId, warning);
      }
      if (!warning) continue;
      out.push(this.escalationNotification(warning, recipient, org, what, step, target, at));
    }
    if (out.length > 0) this.sink.enqueue(out);
    return out;
  }

  private escalationNotification(warning: Warning, recipient: WarningRecipient, org: Organization | undefined, what: 'acknowledgement' | 'remediation', step: number, target: string, at: string): Notification {
    const who = org ? `${org.code} (${org.nameVi})` : recipient.orgId;
    const whoEn = org ? `${org.code} (${org.nameEn})` : recipient.orgId;
    // AMBER+STRICT and RED: the parent learns that a recipient is overdue, not what it was told.
    const restricted = warning.tlp === 'amber+strict' || warning.tlp === 'red';
    const deadline = what === 'acknowledgement' ? warning.ackDeadline : warning.remediationDeadline;
    return {
      id: notificationId(['escalation', warning.id, recipient.orgId, what, String(step)]),
      kind: 'escalation',
      subjectId: warning.id,
      orgId: target,
      severity: warning.severity,
      tlp: restricted ? 'amber' : warning.tlp,
      title: {
        vi: `Quá hạn ${what === 'acknowledgement' ? 'xác nhận' : 'khắc phục'}: ${who} — ${restricted ? `cảnh báo ${warning.id}` : warning.title.vi}`,
        en: `Overdue ${what}: ${whoEn} — ${restricted ? `warning ${warning.id}` : warning.title.en}`,
      },
      text: {
        vi: `${who} chưa ${what === 'acknowledgement' ? 'xác nhận' : 'báo cáo khắc phục'} cảnh báo ${warning.id}, hạn ${deadline}. Đề nghị đôn đốc.`,
        en: `${whoEn} has not ${what === 'acknowledgement' ? 'acknowledged' : 'reported remediation of'} warning ${warning.id}, due ${deadline}. Please follow up.`,
      },
      link: `/warnings/${warning.id}`,
      data: { escalation: { warningId: warning.id, recipient: recipient.orgId, what, step, deadline }, ...(restricted ? {} : { title: warning.title }) },
      createdAt: at,
    };
  }

  /** The viewer of a user: its scope and organisation. */
  static viewer(scope: Scope, orgId: string | null): WarningViewer {
    return { scope, orgId };
  }
}
