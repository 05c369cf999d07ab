/**
 * @module intel/slot-groups
 * One int per key for "the indicators with this value", in the matcher's maps and tries. Nearly
 * every value has one indicator, so the int is that indicator's slot (≥ 0); when two feeds report
 * the same value, it becomes `~group` (< 0), an index into a table of slot arrays. A million
 * indicators cost a million ints, not a million one-element arrays.
 */

export class SlotGroups {
  private readonly groups: (number[] | undefined)[] = [];
  private readonly freeGroups: number[] = [];

  /** The code for the slots of `code` (undefined: none) plus `slot`. */
  add(code: number | undefined, slot: number): number {
    if (code === undefined) return slot;
    if (code >= 0) {
      if (code === slot) return code;
      const index = this.freeGroups.pop() ?? this.groups.length;
      this.groups[index] = [code, slot];
      return ~index;
    }
    const group = this.groups[~code] as number[];
    if (!group.includes(slot)) group.push(slot);
    return code;
  }

  /** The code for the slots of `code` without `slot`; undefined when none are left. */
  remove(code: number, slot: number): number | undefined {
    if (code >= 0) return code === slot ? undefined : code;
    const group = this.groups[~code] as number[];
    const at = group.indexOf(slot);
    if (at !== -1) group.splice(at, 1);
    if (group.length > 1) return code;
    this.groups[~code] = undefined;
    this.freeGroups.push(~code);
    return group[0];
  }

  /** The slots of a group code (< 0). */
  members(code: number): readonly number[] {
    return this.groups[~code] ?? [];
  }

  clear(): void {
    this.groups.length = 0;
    this.freeGroups.length = 0;
  }
}
