/**
 * @module bootstrap
 * A centre started for the first time without demo data has no organisation and nobody who can
 * log in. Bootstrap creates the national centre (the root of the tree) and one admin whose
 * password is random, printed once, and must be changed by the operator.
 */
import { randomBytes } from 'node:crypto';
import { Scope } from './core/scope.js';
import type { Directory } from './orgs/directory.js';

export interface BootstrapResult {
  created: boolean;
  admin?: { username: string; password: string };
}

const bootstrapScope = Scope.system('first start: create the national centre and its admin');

export async function bootstrapCentre(directory: Directory): Promise<BootstrapResult> {
  if (directory.store.orgs.list(bootstrapScope).length > 0) return { created: false };
  const root = directory.createOrganization(bootstrapScope, {
    parentId: null,
    code: 'NCSC',
    nameVi: 'Trung tâm Giám sát an toàn không gian mạng quốc gia',
    nameEn: 'National Cyber Security Monitoring Centre',
    kind: 'national',
  });
  const password = randomBytes(18).toString('base64url');
  await directory.createUser(bootstrapScope, {
    orgId: root.id,
    username: 'admin',
    displayName: 'Quản trị viên / Administrator',
    role: 'admin',
    password,
  });
  return { created: true, admin: { username: 'admin', password } };
}
