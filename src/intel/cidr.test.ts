import { describe, expect, it } from 'vitest';
import { Ipv4PrefixTrie, Ipv6PrefixTrie } from './cidr.js';
import { ipv4Mask, parseIPv4, parseIPv6 } from './ip.js';

const ip = (text: string): number => parseIPv4(text, true);
function v6(text: string): Int32Array {
  const words = new Int32Array(4);
  if (!parseIPv6(text, words)) throw new Error(text);
  return words;
}
const out4 = new Int32Array(33);
const out6 = new Int32Array(129);
const all4 = (trie: Ipv4PrefixTrie, addr: string): number[] => [...out4.subarray(0, trie.collect(ip(addr), out4))];
const all6 = (trie: Ipv6PrefixTrie, addr: string): number[] => [...out6.subarray(0, trie.collect(v6(addr), out6))];

describe('Ipv4PrefixTrie', () => {
  it('finds the longest and every covering range, /0 and /32 included', () => {
    const trie = new Ipv4PrefixTrie();
    trie.set(ip('0.0.0.0'), 0, 1);
    trie.set(ip('10.0.0.0'), 8, 2);
    trie.set(ip('10.1.0.0'), 16, 3);
    trie.set(ip('10.1.2.0'), 24, 4);
    trie.set(ip('10.1.2.3'), 32, 5);
    trie.set(ip('255.255.255.255'), 32, 6);
    expect(trie.size).toBe(6);
    expect(all4(trie, '10.1.2.3')).toEqual([1, 2, 3, 4, 5]);
    expect(trie.longest(ip('10.1.2.3'))).toBe(5);
    expect(trie.longest(ip('10.1.2.4'))).toBe(4);
    expect(trie.longest(ip('10.1.3.4'))).toBe(3);
    expect(trie.longest(ip('10.2.0.0'))).toBe(2);
    expect(trie.longest(ip('192.0.2.1'))).toBe(1);
    expect(trie.longest(ip('255.255.255.255'))).toBe(6);
    expect(trie.longest(ip('10.1.2.3'), 20)).toBe(3);
    expect(all4(trie, '192.0.2.1')).toEqual([1]);
  });

  it('starts at the /16 block when no shorter range covers it, and still sees /16 itself', () => {
    const trie = new Ipv4PrefixTrie();
    trie.set(ip('172.16.0.0'), 16, 7);
    trie.set(ip('172.16.5.0'), 24, 8);
    expect(all4(trie, '172.16.5.9')).toEqual([7, 8]);
    expect(all4(trie, '172.16.6.9')).toEqual([7]);
    expect(all4(trie, '172.17.0.1')).toEqual([]);
    trie.set(ip('172.0.0.0'), 8, 9);
    expect(all4(trie, '172.16.5.9')).toEqual([9, 7, 8]);
    expect(all4(trie, '172.17.0.1')).toEqual([9]);
    trie.delete(ip('172.0.0.0'), 8);
    expect(all4(trie, '172.17.0.1')).toEqual([]);
    expect(all4(trie, '172.16.5.9')).toEqual([7, 8]);
  });

  it('replaces, deletes and prunes back to the bare root', () => {
    const trie = new Ipv4PrefixTrie();
    expect(trie.set(ip('192.0.2.0'), 24, 1)).toBeUndefined();
    expect(trie.set(ip('192.0.2.0'), 24, 2)).toBe(1);
    trie.set(ip('192.0.2.128'), 25, 3);
    trie.set(ip('0.0.0.0'), 0, 4);
    expect(trie.get(ip('192.0.2.0'), 24)).toBe(2);
    expect(trie.get(ip('192.0.2.0'), 23)).toBeUndefined();
    expect(trie.delete(ip('192.0.2.0'), 23)).toBeUndefined();
    expect(trie.delete(ip('192.0.2.0'), 24)).toBe(2);
    expect(all4(trie, '192.0.2.200')).toEqual([4, 3]);
    expect(trie.delete(ip('192.0.2.128'), 25)).toBe(3);
    expect(trie.delete(ip('0.0.0.0'), 0)).toBe(4);
    expect(trie.size).toBe(0);
    expect(trie.nodeCount).toBe(1);
    expect(all4(trie, '192.0.2.200')).toEqual([]);
    // freed nodes are reused, and the block shortcut is rebuilt
    trie.set(ip('192.0.2.0'), 24, 5);
    expect(all4(trie, '192.0.2.1')).toEqual([5]);
  });

  it('agrees with a linear scan on random ranges and addresses', () => {
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return seed;
    };
    const trie = new Ipv4PrefixTrie();
    const ranges: { net: number; len: number; payload: number }[] = [];
    for (let i = 0; i < 3000; i++) {
      const len = (random() >>> 0) % 33;
      const net = random() & ipv4Mask(len);
      // keep one payload per range, as the matcher does
      if (ranges.some((r) => r.net === net && r.len === len)) continue;
      ranges.push({ net, len, payload: i });
      trie.set(net, len, i);
    }
    const masks = Array.from({ length: 33 }, (_, len) => ipv4Mask(len));
    const wrong: number[] = [];
    for (let k = 0; k < 3000; k++) {
      // half the probes inside a known range
      const base = ranges[k % ranges.length] as { net: number; len: number };
      const addr = k % 2 === 0 ? base.net | (random() & ~(masks[base.len] as number)) : random();
      const expected = ranges.filter((r) => (addr & (masks[r.len] as number)) === r.net).sort((a, b) => a.len - b.len).map((r) => r.payload);
      const found = [...out4.subarray(0, trie.collect(addr, out4))];
      if (found.join() !== expected.join() || trie.longest(addr) !== expected.at(-1)) wrong.push(addr);
    }
    expect(wrong).toEqual([]);
    for (const range of ranges) trie.delete(range.net, range.len);
    expect(trie.nodeCount).toBe(1);
  });
});

describe('Ipv6PrefixTrie', () => {
  it('finds covering ranges, ::/0 and /128 included', () => {
    const trie = new Ipv6PrefixTrie();
    trie.set(v6('::'), 0, 1);
    trie.set(v6('2001:db8::'), 32, 2);
    trie.set(v6('2001:db8:1::'), 48, 3);
    trie.set(v6('2001:db8:1::1'), 128, 4);
    trie.set(v6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), 128, 5);
    expect(all6(trie, '2001:db8:1::1')).toEqual([1, 2, 3, 4]);
    expect(all6(trie, '2001:db8:1::2')).toEqual([1, 2, 3]);
    expect(all6(trie, '2001:db8:2::')).toEqual([1, 2]);
    expect(all6(trie, '2002::')).toEqual([1]);
    expect(trie.longest(v6('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe(5);
    expect(trie.longest(v6('2001:db8:1::1'), 40)).toBe(2);
    expect(trie.get(v6('2001:db8::'), 32)).toBe(2);
    expect(trie.delete(v6('2001:db8:1::1'), 128)).toBe(4);
    expect(trie.delete(v6('2001:db8:1::1'), 128)).toBeUndefined();
    for (const [text, len] of [['::', 0], ['2001:db8::', 32], ['2001:db8:1::', 48], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 128]] as const) trie.delete(v6(text), len);
    expect(trie.size).toBe(0);
    expect(trie.nodeCount).toBe(1);
  });
});

describe('Ipv4PrefixTrie block summaries', () => {
  it('keeps a lone range inline and switches to the walk and back as ranges come and go', () => {
    const trie = new Ipv4PrefixTrie();
    trie.set(ip('198.51.100.0'), 24, 1);
    expect(all4(trie, '198.51.100.9')).toEqual([1]);
    expect(all4(trie, '198.51.101.9')).toEqual([]);
    trie.set(ip('198.51.100.128'), 25, 2);
    expect(all4(trie, '198.51.100.200')).toEqual([1, 2]);
    trie.set(ip('198.51.100.0'), 24, 3); // replace the payload of an existing range
    expect(all4(trie, '198.51.100.200')).toEqual([3, 2]);
    trie.delete(ip('198.51.100.0'), 24);
    // one left: back inline, found by following the single path
    expect(all4(trie, '198.51.100.200')).toEqual([2]);
    expect(all4(trie, '198.51.100.9')).toEqual([]);
    trie.set(ip('198.51.100.128'), 25, 4);
    expect(all4(trie, '198.51.100.130')).toEqual([4]);
    trie.set(ip('198.51.0.0'), 16, 5);
    trie.delete(ip('198.51.100.128'), 25);
    expect(all4(trie, '198.51.7.7')).toEqual([5]);
    trie.delete(ip('198.51.0.0'), 16);
    expect(all4(trie, '198.51.7.7')).toEqual([]);
    expect(trie.nodeCount).toBe(1);
  });

  it('agrees with a linear scan while ranges are added and removed at random', () => {
    let seed = 99;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
    const trie = new Ipv4PrefixTrie();
    const live = new Map<string, { net: number; len: number; payload: number }>();
    const wrong: string[] = [];
    for (let step = 0; step < 4000; step++) {
      // ranges inside a few /16 blocks, so that blocks hold zero, one and many
      const len = 8 + ((random() >>> 0) % 25);
      const net = ((0xc6330000 | (random() & 0x0003ffff)) & ipv4Mask(len)) | 0;
      const key = `${net}/${len}`;
      if (live.has(key) && (random() & 1) === 0) {
        trie.delete(net, len);
        live.delete(key);
      } else {
        trie.set(net, len, step);
        live.set(key, { net, len, payload: step });
      }
      const addr = (0xc6330000 | (random() & 0x0003ffff)) | 0;
      const expected = [...live.values()].filter((r) => (addr & ipv4Mask(r.len)) === r.net).sort((a, b) => a.len - b.len).map((r) => r.payload);
      const found = [...out4.subarray(0, trie.collect(addr, out4))];
      if (found.join() !== expected.join()) wrong.push(`${step}: ${addr}`);
    }
    expect(wrong).toEqual([]);
  });
});
