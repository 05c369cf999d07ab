/**
 * @module orgs/permissions
 * What each role may do. Roles say *what*; the scope (the user's organisation subtree) says
 * *where*. An admin of a province manages that province's subtree, never its neighbour's.
 */
import { VigilError } from '../core/errors.js';
import type { Role } from '../core/model.js';

export const actions = {
  'events:read': ['admin', 'analyst', 'operator', 'viewer'],
  'stats:read': ['admin', 'analyst', 'operator', 'viewer'],
  'orgs:read': ['admin', 'analyst', 'operator', 'viewer'],
  'orgs:write': ['admin'],
  'users:read': ['admin'],
  'users:write': ['admin'],
  'sensors:read': ['admin', 'analyst', 'operator'],
  'sensors:write': ['admin', 'operator'],
  'dead-letters:read': ['admin', 'analyst', 'operator'],
  /** Information systems (inventory): every role reads; admins and operators (agency IT staff) register them. */
  'systems:read': ['admin', 'analyst', 'operator', 'viewer'],
  'systems:write': ['admin', 'operator'],
  'alerts:read': ['admin', 'analyst', 'operator', 'viewer'],
  'alerts:triage': ['admin', 'analyst', 'operator'],
  'rules:read': ['admin', 'analyst', 'operator', 'viewer'],
  'rules:manage': ['admin', 'analyst'],
  'intel:read': ['admin', 'analyst', 'operator', 'viewer'],
  'intel:write': ['admin', 'analyst'],
  /** TAXII 2.1 (api/taxii.ts): read the collections, and add objects to the inbox. */
  'taxii:read': ['admin', 'analyst', 'operator', 'viewer'],
  'taxii:write': ['admin', 'analyst'],
  /** Incidents (api/incidents.ts): read; work them (lifecycle, comments, tasks); assign responders (the centre). */
  'incidents:read': ['admin', 'analyst', 'operator', 'viewer'],
  'incidents:work': ['admin', 'analyst', 'operator'],
  'incidents:coordinate': ['admin', 'analyst'],
  /** Warnings (api/warnings.ts): read; write and issue them (within one's subtree); acknowledge and report remediation. */
  'warnings:read': ['admin', 'analyst', 'operator', 'viewer'],
  'warnings:issue': ['admin', 'analyst'],
  'warnings:respond': ['admin', 'analyst', 'operator'],
  /** Campaigns across organisations (api/campaigns.ts): the centre's analysts. */
  'campaigns:read': ['admin', 'analyst'],
  'campaigns:manage': ['admin', 'analyst'],
  /** Delivery (api/delivery.ts): an organisation's contacts; the outbox of deliveries and retrying one; the live stream. */
  'contacts:read': ['admin', 'analyst', 'operator'],
  'contacts:manage': ['admin', 'operator'],
  'deliveries:read': ['admin', 'analyst', 'operator'],
  'deliveries:retry': ['admin', 'analyst', 'operator'],
  'stream:read': ['admin', 'analyst', 'operator', 'viewer'],
  /** Measures of prevention and response and the posture score (api/measures.ts), within one's subtree. */
  'measures:read': ['admin', 'analyst', 'operator', 'viewer'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof actions;

export function can(role: Role, action: Action): boolean {
  return (actions[action] as readonly Role[]).includes(role);
}

export function assertCan(role: Role, action: Action): void {
  if (!can(role, action)) throw new VigilError('VIGIL_ERR_FORBIDDEN', { role, action });
}

/** A user may give only roles at or below their own. */
const rank: Record<Role, number> = { viewer: 0, operator: 1, analyst: 2, admin: 3 };
export function mayGrant(granter: Role, role: Role): boolean {
  return rank[role] <= rank[granter];
}
