/**
 * @module core/scope
 * A `Scope` is the set of organisations a caller may read or write: an organisation's subtree for a
 * user or token, exactly one organisation for a sensor. It is a required argument of every store
 * read and write, so an unscoped query cannot be written. `Scope.system` is for the centre's own
 * housekeeping (start-up, retention, seeding) and names why it is used.
 */
import { VigilError } from './errors.js';

export interface OrgHierarchy {
  /** Ids of `orgId` and all its descendants; empty when the organisation is unknown. */
  subtreeIds(orgId: string): readonly string[];
  /** True when `orgId` is the root of the whole tree. */
  isRoot(orgId: string): boolean;
}

export class Scope {
  private constructor(
    /** The organisation the scope is rooted at; null for the system scope. */
    readonly rootOrgId: string | null,
    private readonly members: ReadonlySet<string> | null,
    /** Why a system scope was made (for audit and for reading the code). */
    readonly reason: string,
  ) {}

  /** The subtree of `orgId`: what a user or API token of that organisation sees. */
  static subtree(orgId: string, tree: OrgHierarchy): Scope {
    const ids = tree.subtreeIds(orgId);
    if (ids.length === 0) throw new VigilError('VIGIL_ERR_NOT_FOUND', { what: 'Organisation', id: orgId });
    return new Scope(orgId, tree.isRoot(orgId) ? null : new Set(ids), 'subtree');
  }

  /** Exactly one organisation: what a sensor may write. */
  static single(orgId: string): Scope {
    return new Scope(orgId, new Set([orgId]), 'single');
  }

  /** Every organisation, for the centre's own housekeeping. */
  static system(reason: string): Scope {
    return new Scope(null, null, reason);
  }

  /** True when the scope covers every organisation (no filter needs to be applied). */
  get unrestricted(): boolean {
    return this.members === null;
  }

  includes(orgId: string): boolean {
    return this.members === null || this.members.has(orgId);
  }

  assertIncludes(orgId: string): void {
    if (!this.includes(orgId)) throw new VigilError('VIGIL_ERR_OUT_OF_SCOPE', { orgId });
  }

  /** The member ids; null when unrestricted. */
  orgIds(): readonly string[] | null {
    return this.members === null ? null : [...this.members];
  }

  /** A narrower scope: the subtree of `orgId`, which must lie inside this scope. */
  narrow(orgId: string, tree: OrgHierarchy): Scope {
    this.assertIncludes(orgId);
    return Scope.subtree(orgId, tree);
  }
}
