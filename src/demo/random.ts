/**
 * @module demo/random
 * A small seeded pseudo-random generator (mulberry32) for the demo's traffic generators. The
 * generators must be reproducible — the same seed and clock give the same lines, so tests can pin
 * them and a demo can be replayed — which `Math.random` cannot give. Not for secrets: passwords
 * and keys come from `node:crypto`.
 */

/** Mixes a label into a seed (FNV-1a), so each sensor gets its own independent stream. */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1): mulberry32 (Tommy Ettinger's 32-bit generator). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** Rounds `x` up or down at random so that the expected value is `x` (fractional rates). */
  round(x: number): number {
    const floor = Math.floor(x);
    return floor + (this.chance(x - floor) ? 1 : 0);
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** A version-4-shaped UUID from this stream (reproducible, unlike `crypto.randomUUID`). */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)] ?? '8'}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** Characters of `alphabet`, e.g. for base64-looking fingerprints. */
  string(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)] ?? '';
    return out;
  }

  /** A host address inside an IPv4 CIDR block (never the network or broadcast address of /24+). */
  ipv4In(cidr: string): string {
    const [base, bitsText] = cidr.split('/');
    const bits = Number(bitsText ?? '32');
    const octets = (base ?? '0.0.0.0').split('.').map(Number);
    const start = (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
    const size = 2 ** (32 - bits);
    const offset = size <= 2 ? 0 : 1 + Math.floor(this.next() * (size - 2));
    const ip = (start + offset) >>> 0;
    return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
  }
}
