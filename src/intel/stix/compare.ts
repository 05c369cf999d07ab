/**
 * @module intel/stix/compare
 * One comparison operator (STIX 2.1 §9.6.1) compiled into a test of one property value. The
 * rules it follows:
 * - operands of incompatible types compare false, except `!=`, which is then true (§9.6.1);
 *   integer and float constants compare with numbers by full value (§9.2);
 * - strings compare by code point with no normalisation for `=`, `!=`, `<`, `>`, `<=`, `>=`
 *   (§9.6.2); LIKE and MATCHES NFC-normalise both sides (§9.6.1, §9.6.2);
 * - timestamp constants compare with timestamp strings as instants (§9.2);
 * - properties ending in `_bin` (base64) and `_hex` are compared as their bytes, as unsigned
 *   octets with the longer value greater (§9.6.3, §9.6.4); a string constant compared with them
 *   becomes bytes when all its code points are below U+0100, else the comparison is incompatible;
 * - LIKE is SQL LIKE (`%` any run, `_` one character) over the whole value; MATCHES is a search
 *   with DOTALL (§9.6.1) run by RE2 (re2js), which is linear-time so a feed's regular expression
 *   cannot stall the matcher, at the price of PCRE features RE2 lacks (backreferences,
 *   look-around): such an expression compiles to "never matches" and is reported as a warning;
 * - ISSUBSET/ISSUPERSET compare addresses and CIDR blocks as sets (§9.6.1).
 * Deliberate reading: `=` (and `!=`, IN) on the `value` of an `ipv4-addr`/`ipv6-addr` compares
 * addresses, not text, and an observed address equals a CIDR constant when it lies inside it.
 * Feeds write `[ipv4-addr:value = '198.51.100.0/24']` to mean the block (and the spec's own
 * examples write `'…/32'` for one host), events carry single addresses, and the line-rate matcher
 * treats such indicators as CIDR ranges: the slow path must agree with it.
 */
import { RE2JS } from 're2js';
import { isSubnetOf, parseNetwork } from './address.js';
import type { Constant, ValueOperator } from './pattern-ast.js';
import { compareInstants, parseStixTimestamp } from './timestamp.js';

/** The operator's verdict on one value (before a NOT modifier). `holder` is the object the property belongs to. */
export type ValueTest = (value: unknown, property: string, holder: unknown) => boolean;

export interface CompiledValueTest {
  test: ValueTest;
  /** Set when the operator cannot be evaluated here (the test then never matches). */
  warning?: string;
}

export function compileValueTest(operator: ValueOperator | 'IN', constant: Constant | readonly Constant[]): CompiledValueTest {
  if (operator === 'IN') {
    const members = constant as readonly Constant[];
    return { test: (v, p, h) => members.some((c) => equals(c, v, p, h) === true) };
  }
  const c = constant as Constant;
  const ordered = (accept: (r: number) => boolean): CompiledValueTest => ({
    test: (v, p) => {
      const r = order(c, v, p);
      return r !== undefined && accept(r);
    },
  });
  switch (operator) {
    case '=':
      return { test: (v, p, h) => equals(c, v, p, h) === true };
    case '!=':
      return { test: (v, p, h) => equals(c, v, p, h) !== true };
    case '<':
      return ordered((r) => r < 0);
    case '<=':
      return ordered((r) => r <= 0);
    case '>':
      return ordered((r) => r > 0);
    case '>=':
      return ordered((r) => r >= 0);
    case 'LIKE':
      return compileLike(stringOf(c));
    case 'MATCHES':
      return compileMatches(stringOf(c));
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      const net = parseNetwork(stringOf(c));
      if (!net) return { test: () => false, warning: `'${stringOf(c)}' is not an IP address or CIDR block` };
      return {
        test: (v) => {
          const observed = typeof v === 'string' ? parseNetwork(v) : null;
          if (!observed) return false;
          return operator === 'ISSUBSET' ? isSubnetOf(observed, net) : isSubnetOf(net, observed);
        },
      };
    }
  }
}

/** True or false when the operands are comparable, undefined when their types are incompatible. */
function equals(c: Constant, value: unknown, property: string, holder: unknown): boolean | undefined {
  switch (c.kind) {
    case 'string': {
      if (isBinaryProperty(property)) return bytesEqual(propertyBytes(value, property), stringBytes(c.value));
      if (typeof value !== 'string') return undefined;
      if (property === 'value' && isAddressObject(holder)) {
        const [observed, wanted] = [parseNetwork(value), parseNetwork(c.value)];
        if (observed && wanted) return isSubnetOf(observed, wanted);
      }
      return value === c.value;
    }
    case 'integer':
    case 'float':
      return typeof value === 'number' ? value === c.value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value === c.value : undefined;
    case 'timestamp': {
      const r = compareTimestamp(c.value, value);
      return r === undefined ? undefined : r === 0;
    }
    case 'hex':
    case 'binary':
      return bytesEqual(valueBytes(value, property), constantBytes(c));
  }
}

/** The value compared with the constant: negative, zero, positive; undefined when incomparable. */
function order(c: Constant, value: unknown, property: string): number | undefined {
  switch (c.kind) {
    case 'string':
      if (isBinaryProperty(property)) return bytesCompare(propertyBytes(value, property), stringBytes(c.value));
      return typeof value === 'string' ? codePointCompare(value, c.value) : undefined;
    case 'integer':
    case 'float':
      return typeof value === 'number' ? value - c.value : undefined;
    case 'timestamp': {
      const r = compareTimestamp(c.value, value);
      return r === undefined ? undefined : -r;
    }
    case 'hex':
    case 'binary':
      return bytesCompare(valueBytes(value, property), constantBytes(c));
    case 'boolean':
      return undefined;
  }
}

function compileLike(pattern: string): CompiledValueTest {
  // SQL LIKE: `%` is any run of characters, `_` exactly one; everything else is literal.
  let source = '';
  let literal = '';
  for (const ch of pattern.normalize('NFC')) {
    if (ch !== '%' && ch !== '_') {
      literal += ch;
      continue;
    }
    source += (literal === '' ? '' : RE2JS.quote(literal)) + (ch === '%' ? '.*' : '.');
    literal = '';
  }
  source += literal === '' ? '' : RE2JS.quote(literal);
  const re = RE2JS.compile(source, RE2JS.DOTALL);
  return {
    test: (v, p) => {
      const s = textOf(v, p);
      return s !== null && re.testExact(s);
    },
  };
}

function compileMatches(pattern: string): CompiledValueTest {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern.normalize('NFC'), RE2JS.DOTALL);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { test: () => false, warning: `regular expression '${pattern}' cannot be run by RE2 (${reason}); it never matches` };
  }
  return {
    test: (v, p) => {
      const s = textOf(v, p);
      return s !== null && re.test(s);
    },
  };
}

/** The text LIKE and MATCHES see: NFC for strings, one character per byte for binary properties. */
function textOf(value: unknown, property: string): string | null {
  if (isBinaryProperty(property)) {
    const bytes = propertyBytes(value, property);
    return bytes ? Buffer.from(bytes).toString('latin1') : null;
  }
  return typeof value === 'string' ? value.normalize('NFC') : null;
}

function compareTimestamp(constant: string, value: unknown): number | undefined {
  const [want, got] = [parseStixTimestamp(constant), typeof value === 'string' ? parseStixTimestamp(value) : null];
  return want && got ? compareInstants(want, got) : undefined;
}

function isBinaryProperty(property: string): boolean {
  return property.endsWith('_bin') || property.endsWith('_hex');
}

function isAddressObject(holder: unknown): boolean {
  if (typeof holder !== 'object' || holder === null) return false;
  const type = (holder as { type?: unknown }).type;
  return type === 'ipv4-addr' || type === 'ipv6-addr';
}

/** The bytes of a `_bin` (base64) or `_hex` property value; null when it is not validly encoded. */
function propertyBytes(value: unknown, property: string): Uint8Array | null {
  if (typeof value !== 'string') return null;
  if (property.endsWith('_hex')) return /^(?:[0-9a-fA-F]{2})*$/.test(value) ? Buffer.from(value, 'hex') : null;
  return /^[A-Za-z0-9+/\r\n]*={0,2}$/.test(value) ? Buffer.from(value, 'base64') : null;
}

/** The bytes of a value compared with a binary or hex constant. */
function valueBytes(value: unknown, property: string): Uint8Array | null {
  if (isBinaryProperty(property)) return propertyBytes(value, property);
  return typeof value === 'string' ? stringBytes(value) : null;
}

function constantBytes(c: Constant): Uint8Array {
  return Buffer.from(String(c.value), c.kind === 'hex' ? 'hex' : 'base64');
}

/** §9.2: a string whose code points are all below U+0100 can stand for those bytes. */
function stringBytes(s: string): Uint8Array | null {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code > 0xff) return null;
    out[i] = code;
  }
  return out;
}

function bytesEqual(a: Uint8Array | null, b: Uint8Array | null): boolean | undefined {
  const r = bytesCompare(a, b);
  return r === undefined ? undefined : r === 0;
}

/** §9.6.3: unsigned octets; a longer value that is otherwise equal is greater. */
function bytesCompare(a: Uint8Array | null, b: Uint8Array | null): number | undefined {
  if (!a || !b) return undefined;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** §9.6.2: code point order (UTF-16 order differs for surrogates against U+E000–U+FFFF). */
export function codePointCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [x, y] = [a.charCodeAt(i), b.charCodeAt(i)];
    if (x !== y) return codeUnitRank(x) - codeUnitRank(y);
  }
  return a.length - b.length;
}

function codeUnitRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000; // surrogates encode code points above U+FFFF
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

function stringOf(c: Constant): string {
  return c.kind === 'string' ? c.value : String(c.value);
}
