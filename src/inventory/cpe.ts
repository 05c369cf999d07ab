/**
 * @module inventory/cpe
 * CPE 2.3 names in the formatted-string binding (NIST IR 7695 §6.2): `cpe:2.3:` and eleven
 * colon-separated attributes — part, vendor, product, version, update, edition, language,
 * sw_edition, target_sw, target_hw, other. Checked character by character against the binding's
 * grammar as the official schema writes it (cpe-naming_2.3.xsd, `cpe23Type`), so that a refusal
 * names the attribute and the character:
 *
 * - `*` alone is the logical value ANY, `-` alone is NA (§6.2.2.1 / §5.3.1);
 * - otherwise one or more of `A–Z a–z 0–9 - . _`, or a backslash quoting one of the punctuation
 *   characters ``\ * ? ! " # $ % & ' ( ) + , / : ; < = > @ [ ] ^ ` { | } ~``, optionally led and/or
 *   followed by the unquoted wildcards `*` (one) or `?` (one or more) — nowhere else;
 * - the language attribute is a tag (`en`, `vi-vn`, `es-419`) or a logical value.
 *
 * Values are kept lower-case: CPE name matching (NIST IR 7696) compares them case-insensitively.
 */

export const cpeAttributes = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'] as const;
export type CpeAttribute = (typeof cpeAttributes)[number];

/** One attribute: a logical value, or a (possibly wildcarded) string with its quoting removed. */
export type CpeValue =
  | { kind: 'any' }
  | { kind: 'na' }
  | {
      kind: 'value';
      /** As bound in the formatted string (quoting kept), lower-case. */
      bound: string;
      /** Quoting removed (`big\-ip` stays `big-ip`, `1\:2` becomes `1:2`), lower-case. */
      text: string;
      /** Whether it begins or ends with an unquoted `*` or `?` (a pattern, not a name). */
      wildcard: boolean;
    };

export interface CpeName {
  /** The name again, lower-case. */
  formatted: string;
  attributes: Record<CpeAttribute, CpeValue>;
}

export type CpeResult = { cpe: CpeName } | { error: string };

const PREFIX = 'cpe:2.3:';
/** Characters that may follow a backslash (cpe23Type's quoted set). */
const QUOTABLE = new Set('\\*?!"#$%&\'()+,/:;<=>@[]^`{|}~');

function isUnreserved(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '-' || c === '.' || c === '_';
}

/** Splits at unquoted colons; a backslash must quote one of the quotable characters. */
function splitComponents(body: string): string[] | { error: string } {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) return { error: 'ends with a lone backslash' };
      if (!QUOTABLE.has(next)) return { error: `"\\${next}" at position ${PREFIX.length + i + 1}: only punctuation may be quoted with a backslash` };
      i++;
    } else if (c === ':') {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** One attribute other than part and language (cpe23Type's avstring). */
function parseValue(raw: string, name: CpeAttribute): CpeValue | { error: string } {
  if (raw === '') return { error: `${name} is empty (write * for ANY or - for NA)` };
  if (raw === '*') return { kind: 'any' };
  if (raw === '-') return { kind: 'na' };
  let i = 0;
  // leading wildcards: one `*`, or any number of `?`
  if (raw[0] === '*') i = 1;
  else while (raw[i] === '?') i++;
  const leading = i > 0;
  let text = '';
  let body = 0;
  for (; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\') {
      text += raw[i + 1] as string;
      i++;
      body++;
    } else if (isUnreserved(c)) {
      text += c;
      body++;
    } else if (c === '*' || c === '?') {
      break;
    } else if (c.charCodeAt(0) > 0x20 && c.charCodeAt(0) < 0x7f) {
      return { error: `${name} "${raw}": "${c}" must be quoted with a backslash (\\${c})` };
    } else {
      return { error: `${name} "${raw}": character ${JSON.stringify(c)} is not allowed in a CPE name (printable ASCII only)` };
    }
  }
  const trailingStart = i;
  if (raw[i] === '*') i++;
  else while (raw[i] === '?') i++;
  if (i < raw.length || body === 0) {
    return { error: `${name} "${raw}": unquoted * and ? are wildcards, allowed only at the start or end of a value (quote them as \\* or \\?)` };
  }
  return { kind: 'value', bound: raw.toLowerCase(), text: text.toLowerCase(), wildcard: leading || trailingStart < raw.length };
}

/** Language tags as cpe23Type writes them: 2–3 letters, optionally `-` and a region (2 letters or 3 digits). */
const LANGUAGE = /^[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?$/;

/** Parses a CPE 2.3 formatted string; the error says which attribute is wrong and why. */
export function parseCpe(input: string): CpeResult {
  if (input.length > 1024) return { error: 'longer than 1024 characters' };
  if (!input.startsWith(PREFIX)) {
    return { error: input.startsWith('cpe:/') ? 'a CPE 2.2 URI (cpe:/…); write the CPE 2.3 formatted string, cpe:2.3:part:vendor:product:version:…' : 'must start with "cpe:2.3:"' };
  }
  const split = splitComponents(input.slice(PREFIX.length));
  if (!Array.isArray(split)) return split;
  if (split.length !== cpeAttributes.length) {
    return { error: `has ${split.length} attributes after "cpe:2.3:", needs ${cpeAttributes.length} (part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other; * for ANY)` };
  }
  const attributes = {} as Record<CpeAttribute, CpeValue>;
  for (let k = 0; k < cpeAttributes.length; k++) {
    const name = cpeAttributes[k] as CpeAttribute;
    const raw = split[k] as string;
    if (name === 'part') {
      if (raw === '*') attributes.part = { kind: 'any' };
      else if (raw === '-') attributes.part = { kind: 'na' };
      else if (raw === 'a' || raw === 'o' || raw === 'h') attributes.part = { kind: 'value', bound: raw, text: raw, wildcard: false };
      else return { error: `part "${raw}" must be a (application), o (operating system) or h (hardware)` };
      continue;
    }
    if (name === 'language') {
      if (raw === '*') attributes.language = { kind: 'any' };
      else if (raw === '-') attributes.language = { kind: 'na' };
      else if (LANGUAGE.test(raw)) attributes.language = { kind: 'value', bound: raw.toLowerCase(), text: raw.toLowerCase(), wildcard: false };
      else return { error: `language "${raw}" is not a language tag like en, vi-vn or es-419` };
      continue;
    }
    const value = parseValue(raw, name);
    if ('error' in value) return value;
    attributes[name] = value;
  }
  return { cpe: { formatted: PREFIX + split.map((raw) => (raw === '*' || raw === '-' ? raw : raw.toLowerCase())).join(':'), attributes } };
}

/** The formatted-string form of a plain value: unreserved characters as they are, punctuation quoted. */
export function bindCpeValue(text: string): string | { error: string } {
  if (text === '') return { error: 'is empty' };
  let out = '';
  for (const c of text) {
    if (isUnreserved(c)) out += c;
    else if (QUOTABLE.has(c)) out += `\\${c}`;
    else return { error: `character ${JSON.stringify(c)} cannot be written in a CPE name (printable ASCII only, no spaces)` };
  }
  return out.toLowerCase();
}

/** The name with one attribute replaced by an already-bound value. */
export function withCpeAttribute(cpe: CpeName, name: CpeAttribute, bound: string): string {
  return PREFIX + cpeAttributes.map((a) => (a === name ? bound : boundOf(cpe.attributes[a]))).join(':');
}

function boundOf(value: CpeValue): string {
  return value.kind === 'any' ? '*' : value.kind === 'na' ? '-' : value.bound;
}
