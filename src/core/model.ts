/**
 * @module core/model
 * The domain records shared by every stage: organisations, users, sensors, dead letters, batches.
 */

/** Kinds of organisation. `alliance` members (security firms) sit outside the chain of command. */
export const orgKinds = ['national', 'ministry', 'sector', 'province', 'agency', 'alliance'] as const;
export type OrgKind = (typeof orgKinds)[number];

export interface Organization {
  id: string;
  parentId: string | null;
  code: string;
  nameVi: string;
  nameEn: string;
  kind: OrgKind;
  sector: string | null;
  region: string | null;
  demo: boolean;
  createdAt: string;
}

export const roles = ['admin', 'analyst', 'operator', 'viewer'] as const;
export type Role = (typeof roles)[number];

export interface User {
  id: string;
  orgId: string;
  username: string;
  displayName: string;
  role: Role;
  locale: 'vi' | 'en';
  disabled: boolean;
  demo: boolean;
  createdAt: string;
}

/** A user with the argon2 hash of the password; never leaves the auth module. */
export interface UserCredentials extends User {
  passwordHash: string;
}

export interface ApiToken {
  id: string;
  userId: string;
  orgId: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revoked: boolean;
}

export interface Sensor {
  id: string;
  orgId: string;
  name: string;
  /** Format of the sensor's records, or null to auto-detect each line. */
  format: string | null;
  /** Name of a generic-JSON field mapping in the configuration (`parsers.json.mappings`). */
  jsonMapping: string | null;
  /** Offset like `+07:00` for formats without a zone (RFC 3164, IIS local time). */
  timezone: string | null;
  /** Source addresses or CIDR ranges from which this sensor's syslog is accepted. */
  syslogSources: string[];
  /** TLS client certificate subject CNs or SHA-256 fingerprints that authenticate this sensor. */
  tlsClientIds: string[];
  /** Events per second allowed over HTTP (token bucket); null = the configured default. */
  ratePerSecond: number | null;
  /** First characters of the API key, to tell keys apart; the key itself is never stored. */
  keyPrefix: string;
  enabled: boolean;
  demo: boolean;
  createdAt: string;
}

/** A line that could not be accepted, kept with its reason and raw text. */
export interface DeadLetter {
  id: string;
  orgId: string;
  sensorId: string;
  parser: string;
  code: string;
  reason: string;
  lineNo: number;
  raw: string;
  receivedAt: string;
}

/** One rejected line as reported to the sender. */
export interface LineRejection {
  line: number;
  code: string;
  reason: string;
}

/** What ingest tells the sender about one batch; stored with the idempotency key. */
export interface BatchSummary {
  batchId: string;
  received: number;
  accepted: number;
  rejected: LineRejection[];
  /** Sequence numbers of the stored events (detection cursor space), when any were stored. */
  firstSeq: number | null;
  lastSeq: number | null;
}

/** Sigma levels map to alert severities (Sigma rules specification, "level"). */
export const alertSeverities = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof alertSeverities)[number];

export const alertStatuses = ['open', 'acknowledged', 'closed'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

export type AlertResolution = 'true_positive' | 'false_positive';

export const alertKinds = ['detection', 'correlation', 'behaviour'] as const;
export type AlertKind = (typeof alertKinds)[number];

/** What an analysis found, beyond the rule's title: shown beside the matched events. */
export interface AlertDetails {
  /** One line with the numbers, e.g. "41 failed logins for 12 accounts from 203.0.113.7 in 5 min". */
  summary?: string;
  /** The numbers behind it: counts, baseline mean and deviation, threshold … */
  measures?: Record<string, number>;
  /** The decoded inputs that decided (transaction analyser), by location. */
  evidence?: { location: string; decoded: string }[];
  /** The threat-intelligence indicator that matched, with its context. */
  indicator?: { id: string; type: string; value: string; source: string; confidence: number; tlp: string; labels: string[] };
}

/** One detection on one organisation's data. */
export interface Alert {
  /** Deterministic: the same rule on the same events gives the same id, so a replay never duplicates. */
  id: string;
  orgId: string;
  ruleId: string;
  ruleTitle: string;
  /**
   * `detection` for a rule match or a transaction-analyser verdict, `correlation` for a
   * correlation hit, `behaviour` for a behavioural analysis finding (baselines, bursts, walks).
   */
  kind: AlertKind;
  severity: AlertSeverity;
  /** ATT&CK and other tags of the rule. */
  tags: string[];
  /** Event time of the (completing) event, ISO 8601. */
  eventTime: string;
  createdAt: string;
  /** Store sequence numbers of the matched events. */
  eventSeqs: number[];
  /** Sigma field names whose values matched. */
  matchedFields: string[];
  /** Correlation group-by values; for behaviour, the subject's fields (source.ip, user.name …). */
  group: Record<string, string> | null;
  details: AlertDetails | null;
  /** The information system of `orgId` the (completing) event concerns (inventory/attribution), or null. */
  systemId: string | null;
  status: AlertStatus;
  resolution: AlertResolution | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
  note: string | null;
}

/** An alert as detection makes it, before anyone has triaged it; the system is attributed afterwards when not given. */
export type NewAlert = Omit<Alert, 'status' | 'resolution' | 'acknowledgedBy' | 'acknowledgedAt' | 'closedBy' | 'closedAt' | 'note' | 'systemId'> & { systemId?: string | null };

/** A new alert: open, not yet acknowledged or closed. */
export function openAlert(alert: NewAlert): Alert {
  return { ...alert, systemId: alert.systemId ?? null, status: 'open', resolution: null, acknowledgedBy: null, acknowledgedAt: null, closedBy: null, closedAt: null, note: null };
}

/** An organisation's decision to suppress a rule for a host or a field value. */
export interface RuleException {
  id: string;
  orgId: string;
  ruleId: string;
  /** ECS field compared (e.g. `host.name`, `source.ip`, `user.name`). */
  field: string;
  value: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

/** A rule switched on or off, for everyone (orgId null) or for one organisation's subtree. */
export interface RuleSetting {
  ruleId: string;
  orgId: string | null;
  enabled: boolean;
  updatedBy: string;
  updatedAt: string;
}
