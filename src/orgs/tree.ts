/**
 * @module orgs/tree
 * The organisation tree in memory: parent and children indexes, subtrees and ancestor chains.
 * It is what turns "this user belongs to the Hà Nội province unit" into the set of organisations
 * the user may see (`Scope.subtree`). Rebuilt from the store whenever an organisation is added.
 */
import type { Organization } from '../core/model.js';
import type { OrgHierarchy } from '../core/scope.js';

export class OrgTree implements OrgHierarchy {
  private readonly byId = new Map<string, Organization>();
  private readonly children = new Map<string, string[]>();
  private readonly subtrees = new Map<string, readonly string[]>();
  readonly roots: readonly Organization[];

  constructor(orgs: readonly Organization[]) {
    const roots: Organization[] = [];
    for (const org of orgs) this.byId.set(org.id, org);
    for (const org of orgs) {
      if (org.parentId === null || !this.byId.has(org.parentId)) {
        roots.push(org);
        continue;
      }
      const list = this.children.get(org.parentId);
      if (list) list.push(org.id);
      else this.children.set(org.parentId, [org.id]);
    }
    this.roots = roots;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Organization | undefined {
    return this.byId.get(id);
  }

  childrenOf(id: string): Organization[] {
    return (this.children.get(id) ?? []).map((child) => this.byId.get(child) as Organization);
  }

  isRoot(id: string): boolean {
    const org = this.byId.get(id);
    return org !== undefined && this.roots.length === 1 && this.roots[0] === org;
  }

  subtreeIds(id: string): readonly string[] {
    const cached = this.subtrees.get(id);
    if (cached) return cached;
    if (!this.byId.has(id)) return [];
    const out: string[] = [];
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      out.push(next);
      const kids = this.children.get(next);
      if (kids) stack.push(...kids);
    }
    this.subtrees.set(id, out);
    return out;
  }

  /** The chain from `id` up to its root, `id` first. Warnings escalate along it. */
  ancestors(id: string): Organization[] {
    const out: Organization[] = [];
    const seen = new Set<string>();
    let org = this.byId.get(id);
    while (org && !seen.has(org.id)) {
      out.push(org);
      seen.add(org.id);
      org = org.parentId === null ? undefined : this.byId.get(org.parentId);
    }
    return out;
  }
}
