/**
 * @module core/ids
 * Identifiers and secrets. Ids are random UUIDs prefixed by kind so a log line says what it names;
 * secrets (sensor keys, API tokens, session tokens) are 32 random bytes, shown once and stored only
 * as SHA-256 digests. A fast digest is right here because the secret has 256 bits of entropy:
 * slow password hashing (argon2) protects low-entropy human passwords, not random keys, and would
 * put milliseconds on every ingest request.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export type IdKind = 'org' | 'usr' | 'sen' | 'tok' | 'dlq' | 'bat' | 'exc' | 'ind' | 'fed' | 'sys' | 'tsk' | 'tml';

export function newId(kind: IdKind): string {
  return `${kind}_${randomUUID().replace(/-/g, '')}`;
}

export type SecretKind = 'vgs' | 'vgt' | 'vgx'; // sensor key, API token, session token

/** A new secret: `<kind>_<base64url of 32 bytes>`. */
export function newSecret(kind: SecretKind): string {
  return `${kind}_${randomBytes(32).toString('base64url')}`;
}

export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
