/**
 * @module inventory/model
 * Information systems: the assets behind an organisation's online services, as the organisation
 * registers them. The inventory is how events and alerts are attributed to a system (by address,
 * hostname, URL and sensor) and how warnings find the organisations they concern (by software and
 * security level).
 */

/**
 * Security level 1–5 as Vietnam's Decree 85/2016/NĐ-CP (on the security of information systems by
 * level) classifies information systems: level 1 the least critical (internal operations of one
 * body), level 5 the most (systems of national importance, national defence and security). The
 * level decides the protection required and, later, how severe an incident on the system is.
 */
export const securityLevels = [1, 2, 3, 4, 5] as const;
export type SecurityLevel = (typeof securityLevels)[number];

/** The person and unit answerable for a system. */
export interface SystemOwner {
  /** The responsible unit (department, centre). */
  unit: string;
  person: string | null;
  /** E-mail or phone of the owner. */
  contact: string | null;
}

/** One piece of software the system runs, named by CPE 2.3. */
export interface InstalledSoftware {
  /** CPE 2.3 formatted string, lower-case; the version attribute carries `version` when known. */
  cpe: string;
  part: 'a' | 'o' | 'h';
  vendor: string;
  product: string;
  /** Null when unknown (CPE version ANY) or not applicable (NA). */
  version: string | null;
}

export interface SecurityPlan {
  /** The system's security plan (phương án bảo đảm an toàn hệ thống thông tin) is approved. */
  approved: boolean;
  /** Day of approval, YYYY-MM-DD; null when not approved. */
  approvedOn: string | null;
}

/** The IT project's budget, in Vietnamese đồng (whole đồng). */
export interface SystemBudget {
  currency: 'VND';
  total: number | null;
  security: number | null;
}

/** The rule: at least a tenth of an IT project's budget goes to its security. */
export const MIN_SECURITY_BUDGET_SHARE = 0.1;
/** Larger than any single project; keeps `security × 10` exact in doubles and 64-bit integers. */
export const MAX_BUDGET_VND = 1e15;

export interface InformationSystem {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  owner: SystemOwner;
  securityLevel: SecurityLevel;
  /** Exact host names and `*.suffix` wildcards (any name below the suffix), lower-case ASCII. */
  hostnames: string[];
  /** Base URLs of the online services (`https://host/path`), canonical. */
  urls: string[];
  /** IPv4 and IPv6 CIDR ranges, canonical (`192.0.2.0/24`, `2001:db8::/32`). */
  ipRanges: string[];
  software: InstalledSoftware[];
  /** Sensors (of the same organisation) that watch the system. */
  sensorIds: string[];
  securityPlan: SecurityPlan;
  budget: SystemBudget;
  /** `budget.security / budget.total`; null when either is unknown or the total is 0. */
  securityBudgetShare: number | null;
  /** True when the share is known and below {@link MIN_SECURITY_BUDGET_SHARE}. */
  securityBudgetBelowMinimum: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What is stored; the budget measures are derived on reading. */
export type StoredInformationSystem = Omit<InformationSystem, 'securityBudgetShare' | 'securityBudgetBelowMinimum'>;

/** The fields an organisation edits. */
export type SystemPatch = Partial<Omit<StoredInformationSystem, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>>;

/** Share of the budget for security, and whether it falls short of the rule (exact: integers). */
export function budgetMeasures(budget: SystemBudget): Pick<InformationSystem, 'securityBudgetShare' | 'securityBudgetBelowMinimum'> {
  const { total, security } = budget;
  if (total === null || security === null || total === 0) return { securityBudgetShare: null, securityBudgetBelowMinimum: false };
  return { securityBudgetShare: security / total, securityBudgetBelowMinimum: security * 10 < total };
}

export function withBudgetMeasures(system: StoredInformationSystem): InformationSystem {
  return { ...system, ...budgetMeasures(system.budget) };
}
