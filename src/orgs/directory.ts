/**
 * @module orgs/directory
 * Organisations, users, API tokens and sensors as one domain service over the store. It keeps the
 * organisation tree in memory (rebuilt when an organisation is added) and makes the scopes every
 * other module passes to the store.
 */
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Clock } from '../core/clock.js';
import { VigilError } from '../core/errors.js';
import { digestSecret, newId, newSecret } from '../core/ids.js';
import type { ApiToken, OrgKind, Organization, Role, Sensor, User } from '../core/model.js';
import { Scope } from '../core/scope.js';
import type { Store } from '../store/store.js';
import { OrgTree } from './tree.js';

/** argon2id with the OWASP-recommended minimum (19 MiB, t=2, p=1). */
const argon2Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, argon2Options);
}

export interface NewOrganization {
  parentId: string | null;
  code: string;
  nameVi: string;
  nameEn: string;
  kind: OrgKind;
  sector?: string | null;
  region?: string | null;
  demo?: boolean;
}

export interface NewUser {
  orgId: string;
  username: string;
  displayName: string;
  role: Role;
  password: string;
  locale?: 'vi' | 'en';
  demo?: boolean;
}

export interface NewSensor {
  orgId: string;
  name: string;
  format?: string | null;
  jsonMapping?: string | null;
  timezone?: string | null;
  syslogSources?: string[];
  tlsClientIds?: string[];
  ratePerSecond?: number | null;
  demo?: boolean;
}

/** Who is calling: a user through a login session or an API token. */
export interface UserPrincipal {
  user: User;
  scope: Scope;
  via: 'session' | 'token';
  tokenId?: string;
}

const systemScope = Scope.system('directory bookkeeping');

export class Directory {
  private cachedTree: OrgTree | null = null;

  constructor(
    readonly store: Store,
    private readonly clock: Clock,
    private readonly sessionTtlMs: number,
  ) {}

  tree(): OrgTree {
    this.cachedTree ??= new OrgTree(this.store.orgs.list(systemScope));
    return this.cachedTree;
  }

  /** The subtree scope of an organisation. */
  scopeOf(orgId: string): Scope {
    return Scope.subtree(orgId, this.tree());
  }

  createOrganization(scope: Scope, input: NewOrganization): Organization {
    if (input.parentId !== null && !this.tree().get(input.parentId)) {
      throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Parent organisation', id: input.parentId });
    }
    const org: Organization = {
      id: newId('org'),
      parentId: input.parentId,
      code: input.code,
      nameVi: input.nameVi,
      nameEn: input.nameEn,
      kind: input.kind,
      sector: input.sector ?? null,
      region: input.region ?? null,
      demo: input.demo ?? false,
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    this.store.orgs.create(scope, org);
    this.cachedTree = null;
    return org;
  }

  async createUser(scope: Scope, input: NewUser): Promise<User> {
    const user = {
      id: newId('usr'),
      orgId: input.orgId,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      locale: input.locale ?? 'vi',
      disabled: false,
      demo: input.demo ?? false,
      createdAt: new Date(this.clock.now()).toISOString(),
    } satisfies User;
    scope.assertIncludes(input.orgId);
    this.store.users.create(scope, { ...user, passwordHash: await hashPassword(input.password) });
    return user;
  }

  async setPassword(scope: Scope, userId: string, password: string): Promise<void> {
    this.store.users.update(scope, userId, { passwordHash: await hashPassword(password) });
  }

  /** Checks a password and opens a session. Unknown users cost as much as wrong passwords. */
  async login(username: string, password: string): Promise<{ token: string; user: User; expiresAt: string }> {
    const credentials = this.store.users.findCredentials(systemScope, username);
    let ok = false;
    if (credentials) ok = await argon2Verify(credentials.passwordHash, password).catch(() => false);
    else await argon2Verify(dummyHash, password).catch(() => false);
    if (!credentials || !ok || credentials.disabled) throw new VigilError('VIGIL_ERR_LOGIN_FAILED');
    const token = newSecret('vgx');
    const now = this.clock.now();
    const expiresAt = new Date(now + this.sessionTtlMs).toISOString();
    this.store.credentials.createSession(systemScope, {
      digest: digestSecret(token),
      userId: credentials.id,
      createdAt: new Date(now).toISOString(),
      expiresAt,
    });
    const { passwordHash: _hidden, ...user } = credentials;
    return { token, user, expiresAt };
  }

  logout(token: string): void {
    this.store.credentials.deleteSession(systemScope, digestSecret(token));
  }

  /** Resolves a bearer secret (session or API token) to the user and their scope. */
  authenticate(secret: string): UserPrincipal {
    const digest = digestSecret(secret);
    const now = this.clock.now();
    let userId: string;
    let via: 'session' | 'token';
    let tokenId: string | undefined;
    if (secret.startsWith('vgx_')) {
      const session = this.store.credentials.findSession(systemScope, digest);
      if (!session || Date.parse(session.expiresAt) <= now) throw new VigilError('VIGIL_ERR_AUTH_INVALID');
      userId = session.userId;
      via = 'session';
    } else if (secret.startsWith('vgt_')) {
      const token = this.store.credentials.findToken(systemScope, digest);
      if (!token || token.revoked || (token.expiresAt !== null && Date.parse(token.expiresAt) <= now)) {
        throw new VigilError('VIGIL_ERR_AUTH_INVALID');
      }
      userId = token.userId;
      via = 'token';
      tokenId = token.id;
    } else {
      throw new VigilError('VIGIL_ERR_AUTH_INVALID');
    }
    const user = this.store.users.get(systemScope, userId);
    if (!user || user.disabled) throw new VigilError('VIGIL_ERR_AUTH_INVALID');
    return { user, scope: this.scopeOf(user.orgId), via, ...(tokenId ? { tokenId } : {}) };
  }

  /** A new API token for a user; the secret is returned once and stored only as a digest. */
  createApiToken(scope: Scope, userId: string, name: string, ttlDays: number | null): { token: ApiToken; secret: string } {
    const user = this.store.users.get(scope, userId);
    if (!user) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'User', id: userId });
    const secret = newSecret('vgt');
    const now = this.clock.now();
    const token: ApiToken = {
      id: newId('tok'),
      userId,
      orgId: user.orgId,
      name,
      prefix: secret.slice(0, 12),
      createdAt: new Date(now).toISOString(),
      expiresAt: ttlDays === null ? null : new Date(now + ttlDays * 86_400_000).toISOString(),
      lastUsedAt: null,
      revoked: false,
    };
    this.store.credentials.createToken(scope, token, digestSecret(secret));
    return { token, secret };
  }

  /** A new sensor and its API key; the key is returned once and stored only as a digest. */
  createSensor(scope: Scope, input: NewSensor): { sensor: Sensor; key: string } {
    scope.assertIncludes(input.orgId);
    if (!this.tree().get(input.orgId)) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: input.orgId });
    const key = newSecret('vgs');
    const sensor: Sensor = {
      id: newId('sen'),
      orgId: input.orgId,
      name: input.name,
      format: input.format ?? null,
      jsonMapping: input.jsonMapping ?? null,
      timezone: input.timezone ?? null,
      syslogSources: input.syslogSources ?? [],
      tlsClientIds: input.tlsClientIds ?? [],
      ratePerSecond: input.ratePerSecond ?? null,
      keyPrefix: key.slice(0, 12),
      enabled: true,
      demo: input.demo ?? false,
      createdAt: new Date(this.clock.now()).toISOString(),
    };
    this.store.sensors.create(scope, sensor, digestSecret(key));
    return { sensor, key };
  }

  rotateSensorKey(scope: Scope, sensorId: string): { sensor: Sensor; key: string } {
    const sensor = this.store.sensors.get(scope, sensorId);
    if (!sensor) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Sensor', id: sensorId });
    const key = newSecret('vgs');
    this.store.sensors.rotateKey(scope, sensorId, key.slice(0, 12), digestSecret(key));
    return { sensor: { ...sensor, keyPrefix: key.slice(0, 12) }, key };
  }
}

/** A fixed argon2id hash, verified when the username is unknown so timing does not reveal it. */
const dummyHash = '$argon2id$v=19$m=19456,t=2,p=1$dmlnaWwtZHVtbXktc2FsdA$3J6cOZ8bV0m3xS2m5C0m2p8N5XJ2y5oZJtIh3s6kq3U';
