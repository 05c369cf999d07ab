import { describe, expect, it } from 'vitest';
import { mayManageInventory, splitList } from './inventory.js';

describe('the inventory forms', () => {
  it('split lists on lines and commas, dropping blanks', () => {
    expect(splitList(' a.gov.vn,\nb.gov.vn\n\n , 203.0.113.0/24 ')).toEqual(['a.gov.vn', 'b.gov.vn', '203.0.113.0/24']);
    expect(splitList('')).toEqual([]);
  });

  it('are offered to admins and operators only', () => {
    expect((['admin', 'operator', 'analyst', 'viewer'] as const).map((r) => mayManageInventory(r))).toEqual([true, true, false, false]);
  });
});
