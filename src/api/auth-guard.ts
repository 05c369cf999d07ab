/**
 * @module api/auth-guard
 * Authentication of API callers: `Authorization: Bearer <secret>` with a login session
 * (`vgx_…`) or an API token (`vgt_…`); sensors use their key (`vgs_…`) on the ingest route only.
 */
import type { FastifyRequest } from 'fastify';
import { VigilError } from '../core/errors.js';
import type { Directory, UserPrincipal } from '../orgs/directory.js';
import { assertCan, type Action } from '../orgs/permissions.js';

export function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1] ?? null;
  }
  return null;
}

/** The calling user, allowed to perform `action`; throws 401/403 otherwise. */
export function requireUser(directory: Directory, request: FastifyRequest, action: Action): UserPrincipal {
  const secret = bearerOf(request);
  if (secret === null) throw new VigilError('VIGIL_ERR_AUTH_REQUIRED');
  const principal = directory.authenticate(secret);
  assertCan(principal.user.role, action);
  return principal;
}
