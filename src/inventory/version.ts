/**
 * @module inventory/version
 * Ordering of software versions as vendors write them, for "every system running product X at
 * version Y or older". Versions are split into runs of digits and runs of letters (anything else —
 * `.`, `-`, `_`, `+`, `~`, `:` — only separates); digit runs compare as numbers (1.10 > 1.9),
 * letter runs as words. Where one version has more segments:
 * - a number counts against a missing 0 (1.0 = 1.0.0, 1.0.1 > 1.0);
 * - a pre-release word (dev, snapshot, alpha, beta, pre, preview, rc) makes it older
 *   (10.0.0-beta2 < 10.0.0, 2.0rc1 < 2.0);
 * - any other letters make it newer, as patch letters do (OpenSSL 1.1.1k > 1.1.1, OpenSSH 8.9p1 > 8.9).
 * Against each other, a number is newer than letters, pre-release words rank dev < alpha < beta <
 * pre < rc, and other words compare alphabetically. Case is ignored.
 */

const preRelease: ReadonlyMap<string, number> = new Map([
  ['dev', 0],
  ['snapshot', 0],
  ['alpha', 1],
  ['beta', 2],
  ['pre', 3],
  ['preview', 3],
  ['rc', 4],
]);

/** Digit runs and letter runs of a version, lower-case. */
function segments(version: string): string[] {
  return version.toLowerCase().match(/[0-9]+|[a-z]+/g) ?? [];
}

const isNumber = (segment: string): boolean => segment.charCodeAt(0) >= 48 && segment.charCodeAt(0) <= 57;

/** Numeric comparison of digit strings of any length (no precision loss past 2^53). */
function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=.)/, '');
  const y = b.replace(/^0+(?=.)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareWords(a: string, b: string): number {
  const ra = preRelease.get(a);
  const rb = preRelease.get(b);
  if (ra !== undefined && rb !== undefined) return ra === rb ? 0 : ra < rb ? -1 : 1;
  if (ra !== undefined) return -1;
  if (rb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How a segment that the other version lacks weighs: +1 newer, −1 older, 0 neutral (a zero). */
function extraWeight(segment: string): number {
  if (isNumber(segment)) return /^0+$/.test(segment) ? 0 : 1;
  return preRelease.has(segment) ? -1 : 1;
}

/** Negative when `a` is older than `b`, positive when newer, 0 when the same version. */
export function compareVersions(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const s = x[i];
    const t = y[i];
    if (s === undefined || t === undefined) {
      const weight = extraWeight((s ?? t) as string);
      if (weight !== 0) return s === undefined ? -weight : weight;
      continue;
    }
    const sn = isNumber(s);
    const tn = isNumber(t);
    const order = sn && tn ? compareDigits(s, t) : sn ? 1 : tn ? -1 : compareWords(s, t);
    if (order !== 0) return order;
  }
  return 0;
}
