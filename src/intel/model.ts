/**
 * @module intel/model
 * The threat-intelligence vocabulary shared by the indicator store, the matcher, STIX/TAXII and
 * MISP: what an indicator is, where it came from, how sure we are, how long it holds, and who may
 * see it (TLP 2.0).
 */

/**
 * Traffic Light Protocol 2.0 (FIRST, "TLP version 2.0", definitions):
 * - CLEAR: no limit on disclosure;
 * - GREEN: the recipient's community (here: every organisation connected to the centre and the
 *   alliance), not public;
 * - AMBER: the recipient's organisation and its clients on a need-to-know basis (here: the
 *   organisations the marking names and their subtrees);
 * - AMBER+STRICT: the recipient's organisation only (here: exactly the named organisations);
 * - RED: the named individual recipients only (here: the named organisations' members, and no
 *   automated sharing beyond them).
 */
export const tlpLevels = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof tlpLevels)[number];

export const indicatorTypes = [
  'ipv4',
  'ipv6',
  /** An IPv4 or IPv6 CIDR range (`value` is the canonical `addr/len`). */
  'cidr',
  /** Matches the domain and its subdomains. */
  'domain',
  'url',
  'md5',
  'sha1',
  'sha256',
  'email',
  'ja3',
  'ja4',
  'user-agent',
] as const;
export type IndicatorType = (typeof indicatorTypes)[number];

export interface Indicator {
  /** Vigil's id (`ind_…`). */
  id: string;
  type: IndicatorType;
  /** Canonical value (lower-cased domain, normalised URL, compressed IPv6, lower-case hash …). */
  value: string;
  /** Feed, organisation or analyst it came from (`taxii:alliance-a/collection-x`, `misp:circl`, `analyst:usr_…`). */
  source: string;
  /** 0–100, as STIX `confidence` (STIX 2.1 §3.2 "confidence" and Appendix A scales). */
  confidence: number;
  firstSeen: string;
  lastSeen: string;
  /** After this instant the indicator no longer matches (STIX `valid_until`); null: until revoked. */
  validUntil: string | null;
  /** Kill-chain phases (`lockheed-martin-cyber-kill-chain:delivery`) and ATT&CK ids (`T1190`). */
  killChain: string[];
  attack: string[];
  /** Free labels: malware family, campaign, `scanner` … */
  labels: string[];
  description: string | null;
  tlp: Tlp;
  /** The organisation that owns (contributed or received) it; TLP is judged from it. */
  ownerOrgId: string;
  /** For AMBER, AMBER+STRICT and RED: the organisations it is shared with besides the owner. */
  sharedWith: string[];
  /** The STIX indicator it came from (`indicator--<uuid>`), when it did. */
  stixId: string | null;
  revoked: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One time an indicator was seen in an organisation's events. */
export interface Sighting {
  indicatorId: string;
  orgId: string;
  /** Store sequence number of the event. */
  eventSeq: number;
  eventTime: string;
  /** The event field that matched (`source.ip`, `url.domain`, `file.hash.sha256` …). */
  field: string;
  value: string;
}
