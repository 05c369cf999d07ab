/**
 * @module warn/warning-model
 * Warnings and advisories: what the centre (or a ministry, or a province, within its subtree) tells
 * organisations to do — with severity, TLP, texts in Vietnamese and English, indicators to block,
 * recommended actions and two deadlines: acknowledge, and remediate. Targets are explicit
 * organisations and/or selectors resolved against the organisation tree and the systems inventory
 * when the warning is issued (warn/targeting); each recipient then has a record — notified,
 * acknowledged (who, when), remediation reported per system with evidence, escalations.
 *
 * Who may read a warning (TLP 2.0, https://www.first.org/tlp/, over the organisation tree):
 * - CLEAR and GREEN: every user (the community is the whole tree).
 * - AMBER: the issuer's chain, the recipients and the chain of command above each recipient — the
 *   organisations escalation reaches ("share with their organisation and its clients on a
 *   need-to-know basis"; in government the parent is part of the need-to-know).
 * - AMBER+STRICT: the issuer's chain and the recipient organisations themselves, no one else
 *   ("restricted to the organisation only"). RED: the same, the named recipients only.
 * Escalating an AMBER+STRICT or RED warning tells the parent that a recipient is overdue, by
 * title, without the text or the indicators.
 */
import type { AlertSeverity, OrgKind } from '../core/model.js';
import type { SecurityLevel } from '../inventory/model.js';
import type { Tlp } from '../intel/model.js';
import type { LocalisedText } from './notification.js';

export const warningKinds = ['warning', 'advisory'] as const;
export type WarningKind = (typeof warningKinds)[number];

export const warningSources = ['analyst', 'campaign', 'vulnerability-feed'] as const;
export type WarningSource = (typeof warningSources)[number];

export const warningStatuses = ['draft', 'issued', 'withdrawn'] as const;
export type WarningStatus = (typeof warningStatuses)[number];

export interface SoftwareSelector {
  vendor?: string;
  product: string;
  /** Exposed at or below this version (unknown versions count as exposed). */
  maxVersion?: string;
}

/**
 * Who a warning is for: `orgs` by id or code, plus every organisation matching all the given
 * selectors (each selector: any of its values). Software and security level are matched per system:
 * an organisation is targeted when one of its systems runs the software (at or below the version)
 * at the given level or above. Alliance members are reached only by name.
 */
export interface WarningTargets {
  orgs?: string[];
  sectors?: string[];
  regions?: string[];
  /** Organisations in these subtrees (ids or codes). */
  subtrees?: string[];
  kinds?: OrgKind[];
  software?: SoftwareSelector[];
  minSecurityLevel?: SecurityLevel;
  /** Organisations never targeted by the selectors (e.g. those already hit by a campaign). */
  exclude?: string[];
  /**
   * Alternatives, each resolved like a target of its own and the results joined: "the same sector,
   * or the same region, or the same software" (campaign warnings). `exclude` applies to them all.
   */
  anyOf?: Omit<WarningTargets, 'anyOf' | 'exclude'>[];
}

export interface WarningIndicator {
  type: string;
  value: string;
}

export interface Warning {
  id: string;
  kind: WarningKind;
  source: WarningSource;
  /** The campaign that generated it, if any. */
  campaignId: string | null;
  issuerOrgId: string;
  severity: AlertSeverity;
  tlp: Tlp;
  title: LocalisedText;
  text: LocalisedText;
  indicators: WarningIndicator[];
  actions: LocalisedText[];
  /** CVE ids and references. */
  references: string[];
  targets: WarningTargets;
  ackDeadline: string;
  remediationDeadline: string;
  status: WarningStatus;
  createdAt: string;
  createdBy: string;
  issuedAt: string | null;
  issuedBy: string | null;
  recipientCount: number;
}

export const remediationStatuses = ['pending', 'in-progress', 'remediated', 'not-affected'] as const;
export type RemediationStatus = (typeof remediationStatuses)[number];

export interface RemediationReport {
  /** Null: for the organisation as a whole (no system in the inventory matched). */
  systemId: string | null;
  status: RemediationStatus;
  evidence: string | null;
  reportedBy: string | null;
  reportedAt: string | null;
}

export interface WarningRecipient {
  warningId: string;
  orgId: string;
  /** Why it was chosen: `org`, `sector:y-te`, `software:apache/struts<=2.5.30`, … */
  reasons: string[];
  /** Systems of the organisation the warning concerns (software/level selectors). */
  systemIds: string[];
  notifiedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  remediation: RemediationReport[];
  /** Escalation steps taken (0 none, 1 parent, 2 the centre), for acknowledgement and remediation. */
  ackEscalation: number;
  remediationEscalation: number;
  lastEscalatedAt: string | null;
}

/** Whether the recipient has remediated (or is not affected) on every system it was warned about. */
export function remediated(recipient: WarningRecipient): boolean {
  return recipient.remediation.length > 0 && recipient.remediation.every((r) => r.status === 'remediated' || r.status === 'not-affected');
}
