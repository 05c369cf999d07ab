/**
 * @module intel/stix/stored
 * The STIX objects for what Vigil stores, shared by everything that publishes them (the TAXII
 * collections, bundle exports) so that one stored thing always has one STIX id:
 * - an organisation is an identity (§4.5) with a deterministic id, the creator (§3.5
 *   `created_by_ref`) of what it owns;
 * - an indicator row is a STIX indicator (`convert.indicatorToStix`) created by its owner's
 *   identity, with an id of its own (owner, source, type, value: the row's unique key), so two
 *   owners holding the same value never publish two different objects under one id (§3.5: only
 *   the creator versions an object).
 */
import type { Organization } from '../../core/model.js';
import type { Indicator } from '../model.js';
import { indicatorToStix } from './convert.js';
import { vigilObjectId } from './ids.js';
import type { StixObject } from './objects.js';
import { toStixTimestamp } from './timestamp.js';

/** The deterministic STIX identity of an organisation (the creator of what it owns). */
export function orgIdentityId(orgId: string): string {
  return vigilObjectId('identity', `org|${orgId}`);
}

export function orgIdentity(org: Organization): StixObject {
  const created = toStixTimestamp(org.createdAt);
  return { type: 'identity', spec_version: '2.1', id: orgIdentityId(org.id), created, modified: created, name: `${org.nameEn} (${org.code})`, identity_class: 'organization' };
}

/** The STIX indicator for one stored indicator, with its own id (one store row, one object). */
export function indicatorObject(indicator: Indicator): StixObject {
  const stix = indicatorToStix(indicator, { identityId: orgIdentityId(indicator.ownerOrgId) });
  return { ...stix, id: vigilObjectId('indicator', `${indicator.ownerOrgId}|${indicator.source}|${indicator.type}|${indicator.value}`) };
}
