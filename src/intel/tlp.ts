/**
 * @module intel/tlp
 * Who may see a piece of intelligence, by its Traffic Light Protocol 2.0 marking, over the
 * organisation tree. FIRST, "Traffic Light Protocol (TLP) version 2.0", defines the levels by the
 * circle of recipients; here the circles are made of organisations:
 *
 * | level        | recipients (TLP 2.0)                                   | here                                                                 |
 * |--------------|--------------------------------------------------------|----------------------------------------------------------------------|
 * | CLEAR        | the world                                              | every organisation; may be exported anywhere                        |
 * | GREEN        | the recipient's community, not public                  | every organisation connected to the centre and every alliance member |
 * | AMBER        | the recipient's organisation and its clients           | the owner's subtree, the named organisations' subtrees, and the owner's chain above (which oversees it) |
 * | AMBER+STRICT | the recipient's organisation only                      | the owner, the named organisations, and the owner's chain above      |
 * | RED          | the individual recipients only, no further disclosure | the owner and the named organisations, nobody else — not even the centre |
 *
 * The chain above sees AMBER and AMBER+STRICT because in this hierarchy it is the owner's own
 * reporting line (a province oversees its agencies; the centre oversees everyone): the
 * information does not leave the owner's organisation in the sense TLP means. It never sees RED.
 */
import type { OrgTree } from '../orgs/tree.js';
import type { Tlp } from './model.js';

export interface Marked {
  tlp: Tlp;
  ownerOrgId: string;
  sharedWith: readonly string[];
}

/**
 * A reader of intelligence: their organisation, its chain up to the root (itself first) and its
 * subtree (null for the root: everything below). What the store's TLP filter needs, in one value.
 */
export interface IntelViewer {
  orgId: string;
  chain: readonly string[];
  subtree: readonly string[] | null;
}

export function intelViewer(orgId: string, tree: OrgTree): IntelViewer {
  return { orgId, chain: tree.ancestors(orgId).map((o) => o.id), subtree: tree.isRoot(orgId) ? null : tree.subtreeIds(orgId) };
}

/** TLP 2.0 marks as written (`TLP:AMBER+STRICT`), case-insensitive, and TLP 1.0's WHITE. */
export function parseTlp(text: string): Tlp | null {
  const t = text.trim().toLowerCase().replace(/^tlp:/, '');
  switch (t) {
    case 'clear':
    case 'white': // TLP 1.0 WHITE became CLEAR in 2.0
      return 'clear';
    case 'green':
    case 'amber':
    case 'amber+strict':
    case 'red':
      return t;
    default:
      return null;
  }
}

export function formatTlp(tlp: Tlp): string {
  return `TLP:${tlp.toUpperCase()}`;
}

/** More restrictive first: the order used to pick the stricter of two markings. */
const strictness: Record<Tlp, number> = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

export function stricter(a: Tlp, b: Tlp): Tlp {
  return strictness[a] >= strictness[b] ? a : b;
}

/**
 * True when organisation `viewerOrgId` may see `item`. The store's SQL filter
 * (store/sqlite/intel.ts) says the same; the tests hold the two together.
 */
export function maySee(item: Marked, viewerOrgId: string, tree: OrgTree): boolean {
  if (item.tlp === 'clear' || item.tlp === 'green') return true;
  if (viewerOrgId === item.ownerOrgId || item.sharedWith.includes(viewerOrgId)) return true;
  if (item.tlp === 'red') return false;
  const ownerChain = tree.ancestors(item.ownerOrgId).map((o) => o.id);
  if (ownerChain.includes(viewerOrgId)) return true; // the owner's reporting line
  if (item.tlp === 'amber+strict') return false;
  // AMBER: the owner's and the named organisations' clients (their subtrees).
  const viewerChain = tree.ancestors(viewerOrgId).map((o) => o.id);
  return viewerChain.includes(item.ownerOrgId) || item.sharedWith.some((id) => viewerChain.includes(id));
}

/**
 * True when `viewerOrgId` may pass `item` on to `recipientOrgId` (TAXII, exports, warnings):
 * only what the recipient may itself see, and RED is never passed on by anyone but its owner.
 */
export function mayShare(item: Marked, viewerOrgId: string, recipientOrgId: string, tree: OrgTree): boolean {
  if (!maySee(item, viewerOrgId, tree)) return false;
  if (item.tlp === 'red' && viewerOrgId !== item.ownerOrgId) return false;
  return maySee(item, recipientOrgId, tree);
}
