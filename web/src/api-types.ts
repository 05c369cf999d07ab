/**
 * @module web/api-types
 * The shapes the dashboard reads from the API (src/api/*.ts and the domain models they return),
 * written out for the browser: the server's modules pull in Node, so they are mirrored here, only
 * as far as the screens use them.
 */
export type Lang = 'vi' | 'en';
export const severities = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];
export const tlpLevels = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof tlpLevels)[number];
export type OrgKind = 'national' | 'ministry' | 'sector' | 'province' | 'agency' | 'alliance';
export type Role = 'admin' | 'analyst' | 'operator' | 'viewer';
/** From the most to the least powerful (src/core/model.ts `roles`, src/orgs/permissions.ts `mayGrant`). */
export const roles: readonly Role[] = ['admin', 'analyst', 'operator', 'viewer'];

export interface Organization {
  id: string;
  parentId: string | null;
  code: string;
  nameVi: string;
  nameEn: string;
  kind: OrgKind;
  sector: string | null;
  region: string | null;
}

export interface User {
  id: string;
  orgId: string;
  username: string;
  displayName: string;
  role: Role;
  locale: Lang;
}

/** A user as `GET /api/v1/users` lists them (src/core/model.ts `User`). */
export interface ManagedUser extends User {
  disabled: boolean;
  createdAt: string;
}

export interface LoginReply {
  token: string;
  expiresAt: string;
  user: User;
  organization: Organization;
}

export interface Me {
  user: User;
  organization: Organization;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export const alertStatuses = ['open', 'acknowledged', 'closed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];
export const alertKinds = ['detection', 'correlation', 'behaviour'] as const;
export type AlertKind = (typeof alertKinds)[number];

export interface AlertDetails {
  summary?: string;
  measures?: Record<string, number>;
  evidence?: { location: string; decoded: string }[];
  indicator?: { id: string; type: string; value: string; source: string; confidence: number; tlp: string; labels: string[] };
}

export interface Alert {
  id: string;
  orgId: string;
  ruleId: string;
  ruleTitle: string;
  kind: AlertKind;
  severity: Severity;
  tags: string[];
  eventTime: string;
  createdAt: string;
  eventSeqs: number[];
  matchedFields: string[];
  group: Record<string, string> | null;
  details: AlertDetails | null;
  systemId: string | null;
  status: AlertStatus;
  resolution: 'true_positive' | 'false_positive' | null;
  note: string | null;
}

export interface StoredEvent {
  seq: number;
  event: Record<string, unknown>;
}

export type AlertWithEvents = Alert & { events: StoredEvent[] };

export const incidentStatuses = ['new', 'acknowledged', 'investigating', 'contained', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export interface Incident {
  id: string;
  orgId: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  tlp: Tlp;
  assignee: string | null;
  systemId: string | null;
  entity: { type: string; value: string };
  technique: string;
  firstSeen: string;
  lastSeen: string;
  alertCount: number;
  helpRequested: boolean;
  createdAt: string;
  updatedAt: string;
}

export const timelineActions = [
  'created', 'alerts-linked', 'status', 'assigned', 'severity', 'tlp', 'title', 'comment', 'task-added', 'task-updated',
  'observable-added', 'help-requested', 'responder-assigned', 'responder-removed',
] as const;
export type TimelineAction = (typeof timelineActions)[number];

export interface TimelineEntry {
  id: string;
  at: string;
  actor: string;
  actorOrgId: string | null;
  action: string;
  text: string;
}

export interface IncidentTask {
  id: string;
  title: string;
  status: 'open' | 'done' | 'cancelled';
  assignee: string | null;
  dueAt: string | null;
}

export const observableTypes = ['ip', 'domain', 'url', 'hash', 'email', 'user', 'user-agent', 'host', 'other'] as const;
export type ObservableType = (typeof observableTypes)[number];

export interface IncidentObservable {
  type: ObservableType;
  value: string;
  addedBy: string;
  addedAt: string;
  note: string | null;
}

export type IncidentDetail = Incident & {
  access: 'owner' | 'responder' | null;
  alerts: Pick<Alert, 'id' | 'ruleId' | 'ruleTitle' | 'severity' | 'tags' | 'eventTime'>[];
  timeline: TimelineEntry[];
  tasks: IncidentTask[];
  observables: IncidentObservable[];
  responders: { orgId: string; assignedAt: string }[];
};

export interface LocalisedText {
  vi: string;
  en: string;
}

export interface SoftwareSelector {
  vendor?: string;
  product: string;
  maxVersion?: string;
}

export interface WarningTargets {
  orgs?: string[];
  sectors?: string[];
  regions?: string[];
  subtrees?: string[];
  kinds?: OrgKind[];
  software?: SoftwareSelector[];
  minSecurityLevel?: 1 | 2 | 3 | 4 | 5;
  exclude?: string[];
}

export interface Warning {
  id: string;
  kind: 'warning' | 'advisory';
  source: 'analyst' | 'campaign' | 'vulnerability-feed';
  campaignId: string | null;
  issuerOrgId: string;
  severity: Severity;
  tlp: Tlp;
  title: LocalisedText;
  text: LocalisedText;
  actions: LocalisedText[];
  references: string[];
  targets: WarningTargets;
  ackDeadline: string;
  remediationDeadline: string;
  status: 'draft' | 'issued' | 'withdrawn';
  createdAt: string;
  issuedAt: string | null;
  recipientCount: number;
}

export const remediationStatuses = ['pending', 'in-progress', 'remediated', 'not-affected'] as const;
export type RemediationStatus = (typeof remediationStatuses)[number];

export interface WarningRecipient {
  warningId: string;
  orgId: string;
  reasons: string[];
  systemIds: string[];
  notifiedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  remediation: { systemId: string | null; status: RemediationStatus; evidence: string | null; reportedAt: string | null }[];
  ackEscalation: number;
  remediationEscalation: number;
  /** The recipient's deliveries of this warning (escalations apart), joined by `GET /api/v1/warnings/:id`. */
  deliveries?: Pick<Delivery, 'channel' | 'address' | 'status' | 'attempts' | 'deliveredAt' | 'lastError'>[];
}

export type WarningDetail = Warning & { recipients: WarningRecipient[] };

export interface PreviewRecipient {
  orgId: string;
  reasons: string[];
  systemIds: string[];
}

export interface PreviewReply {
  count: number;
  recipients: PreviewRecipient[];
}

export interface Delivery {
  id: string;
  orgId: string;
  subjectId: string;
  kind: string;
  channel: 'email' | 'webhook' | 'none';
  address: string | null;
  status: 'pending' | 'delivered' | 'failed' | 'no-contact';
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface Campaign {
  id: string;
  keyType: string;
  keyValue: string;
  status: 'detected' | 'confirmed' | 'dismissed';
  title: string;
  technique: string;
  severity: Severity;
  orgIds: string[];
  alertCount: number;
  indicators: { type: string; value: string }[];
  firstSeen: string;
  lastSeen: string;
  warningId: string | null;
}

export interface StatsRow {
  bucket: string;
  count: number;
  [dimension: string]: string | number | null;
}

export interface StatsReply {
  from: string;
  to: string;
  bucket: string;
  rows: StatsRow[];
}

export interface ApiErrorBody {
  code: string;
  message: string;
  location?: { field?: string };
}

export interface SystemRef {
  id: string;
  name: string;
  orgId: string;
}

/** The part of `GET /api/v1/measures` the overview shows: which systems send nothing. */
export interface CoverageReport {
  silenceHours: number;
  org: {
    subtree: {
      coverage: {
        systems: number;
        reporting: number;
        withoutSensor: { count: number; items: SystemRef[] };
        silent: { count: number; items: SystemRef[] };
      };
    };
  };
}

export const postureTermIds = ['acknowledged-in-time', 'remediated-in-time', 'overdue', 'open-incidents', 'sensor-coverage', 'security-plan', 'security-budget'] as const;
export type PostureTermId = (typeof postureTermIds)[number];

/** One term of a posture score (src/warn/posture.ts). */
export interface PostureTerm {
  term: PostureTermId;
  label: LocalisedText;
  /** A share 0–1, or for `open-incidents` the weighted count; null without data. */
  value: number | null;
  weight: number;
  points: number;
  data: boolean;
  explanation: LocalisedText;
}

/** `GET /api/v1/measures/posture` (src/warn/measures-service.ts `PostureReport`). */
export interface PostureReport {
  orgId: string;
  code: string;
  name: LocalisedText;
  kind: OrgKind;
  score: number;
  basis: 'subtree';
  terms: PostureTerm[];
  period: { from: string; to: string };
  children: { orgId: string; code: string; name: LocalisedText; kind: OrgKind; score: number }[];
}

export type SecurityLevel = 1 | 2 | 3 | 4 | 5;

/** An information system of the inventory (src/inventory/model.ts). */
export interface InformationSystem {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  owner: { unit: string; person: string | null; contact: string | null };
  securityLevel: SecurityLevel;
  hostnames: string[];
  urls: string[];
  ipRanges: string[];
  software: { cpe: string; part: 'a' | 'o' | 'h'; vendor: string; product: string; version: string | null }[];
  sensorIds: string[];
  securityPlan: { approved: boolean; approvedOn: string | null };
  budget: { currency: 'VND'; total: number | null; security: number | null };
  securityBudgetShare: number | null;
  securityBudgetBelowMinimum: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A sensor (src/core/model.ts); `key` only in the reply that created it. */
export interface Sensor {
  id: string;
  orgId: string;
  name: string;
  format: string | null;
  jsonMapping: string | null;
  timezone: string | null;
  syslogSources: string[];
  tlsClientIds: string[];
  ratePerSecond: number | null;
  keyPrefix: string;
  enabled: boolean;
  demo: boolean;
  createdAt: string;
}
