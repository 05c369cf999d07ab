/**
 * @module analyze/inputs
 * Every place an attacker controls in a transaction, named as the CLI reports it: the path, each
 * query parameter (`args.<name>`, repeats kept) and each name once (`args_names`), the body by its
 * Content-Type — form (`body.<name>`), JSON (`body.<dotted.path>` per leaf, arrays by index),
 * multipart/form-data (RFC 7578: fields `body.<name>`, file names `files.<field>`, file content
 * `body.<field>`), anything else raw (`body`) — and the headers worth inspecting (content
 * negotiation headers only when they break their grammar), cookies split (`cookies.<name>`, RFC
 * 6265 §4.2.1). Bounded whatever arrives: at most `maxInputs` inputs and `maxValueLength`
 * characters per value, truncated, never an exception.
 */
import { headerOf, type Input, type Transaction } from './contract.js';
import { decodeFormComponent, deobfuscate } from './decode.js';
import { C, ExtractedInput, charClasses, lowerName } from './detectors/facts.js';

export const maxInputs = 256;
/** 64 KiB of characters per value. */
export const maxValueLength = 64 * 1024;
/** Parameter names are locations; a name longer than this is cut in the location (its value stays whole). */
const maxNameLength = 128;
const maxJsonDepth = 32;

/** The characters `deobfuscate` folds: the ideographic space and full-width ASCII. */
const mayBeFullWidth = /[\u3000\uff01-\uff5e]/;

/** Headers inspected by name; every `x-*` header is inspected too. */
const inspectedHeaders = new Set(['user-agent', 'referer', 'x-forwarded-for', 'content-type']);

/**
 * Content-negotiation headers that applications read as a name (a language file, a charset),
 * inspected only when they break their grammar — a list of tokens with `;q=` weights (RFC 9110
 * §12.5.3–§12.5.4: `vi-VN,vi;q=0.9,en;q=0.8`): what a browser sends fits it and costs one scan of
 * a few dozen characters; `../../etc/passwd` or `' OR 1=1` in `Accept-Language` does not, and is
 * inspected. (`Accept` and `Accept-Encoding` name nothing an application opens.)
 */
const negotiationHeaders = new Set(['accept-language', 'accept-charset']);

/** A character outside a weighted token list (letters, digits, ` \t,;=*._-`), or `..`. */
const breaksTokenList = /[^\w \t,;=*.-]|\.\./;

class InputList {
  readonly inputs: Input[] = [];

  get full(): boolean {
    return this.inputs.length >= maxInputs;
  }

  add(location: string, raw: string, decode: (v: string) => string = deobfuscate): void {
    if (this.full) return;
    const bounded = raw.length > maxValueLength ? raw.slice(0, maxValueLength) : raw;
    // The character classes every detector asks for, read once; they also tell whether there is
    // anything to decode (`%`, `\`, `&`, NUL, full-width forms; `+` in form data).
    const chars = charClasses(bounded);
    const plain =
      (chars & (C.percent | C.backslash | C.amp | C.nul)) === 0 &&
      ((chars & C.nonAscii) === 0 || !mayBeFullWidth.test(bounded)) &&
      (decode !== decodeFormComponent || (chars & C.plus) === 0);
    if (plain) this.inputs.push(new ExtractedInput(location, bounded, bounded, chars));
    else {
      const decoded = decode(bounded);
      this.inputs.push(new ExtractedInput(location, bounded, decoded, decoded === bounded ? chars : -1));
    }
  }

  private readonly argsNames = new Set<string>();
  private readonly bodyNames = new Set<string>();

  /** A parameter name (`args_names`, `body_names`): each one once, however often it repeats. */
  addName(location: 'args_names' | 'body_names', raw: string, decode: (v: string) => string = deobfuscate, decoded?: string): void {
    const names = location === 'args_names' ? this.argsNames : this.bodyNames;
    if (names.has(raw)) return;
    names.add(raw);
    if (decoded === undefined) this.add(location, raw, decode);
    else if (!this.full) this.inputs.push(new ExtractedInput(location, raw, decoded, decoded === raw ? charClasses(raw) : -1));
  }
}

const headerLocations = new Map<string, string>();

/**
 * `headers.<name>` for a lower-case header name (from `lowerName`, so the same string every time):
 * remembered, bounded.
 */
function headerLocation(lower: string): string {
  let location = headerLocations.get(lower);
  if (location === undefined) {
    location = `headers.${lower}`;
    if (headerLocations.size >= 1024) headerLocations.clear();
    headerLocations.set(lower, location);
  }
  return location;
}

function locationName(name: string): string {
  return name.length > maxNameLength ? name.slice(0, maxNameLength) : name;
}

interface FormPair {
  name: string;
  rawName: string;
  /** The whole name decoded, when it is short enough to have been decoded whole for `name`. */
  decodedName: string | undefined;
  value: string;
}

/** `a=1&b=2` pairs, names decoded, values raw (still encoded). */
function formPairs(data: string): FormPair[] {
  const pairs: FormPair[] = [];
  for (const part of data.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    const decoded = decodeFormComponent(rawName.slice(0, maxNameLength * 4));
    pairs.push({ name: locationName(decoded), rawName, decodedName: rawName.length <= maxNameLength * 4 ? decoded : undefined, value: eq === -1 ? '' : part.slice(eq + 1) });
    if (pairs.length >= maxInputs) break;
  }
  return pairs;
}

function addForm(list: InputList, data: string, prefix: 'args' | 'body'): void {
  const pairs = formPairs(data);
  for (const pair of pairs) list.add(`${prefix}.${pair.name}`, pair.value, decodeFormComponent);
  for (const pair of pairs) list.addName(`${prefix}_names`, pair.rawName, decodeFormComponent, pair.decodedName);
}

function addJson(list: InputList, value: unknown, path: string, depth: number): void {
  if (list.full) return;
  if (typeof value === 'string' || typeof value === 'number') {
    list.add(path === '' ? 'body' : `body.${path}`, String(value));
  } else if (Array.isArray(value)) {
    if (depth >= maxJsonDepth) return;
    value.forEach((item, index) => addJson(list, item, path === '' ? String(index) : `${path}.${index}`, depth + 1));
  } else if (value !== null && typeof value === 'object') {
    if (depth >= maxJsonDepth) return;
    for (const [key, item] of Object.entries(value)) {
      // Keys are attacker-controlled too (`{"$where": …}`, prototype pollution).
      list.addName('body_names', key);
      addJson(list, item, path === '' ? locationName(key) : `${path}.${locationName(key)}`, depth + 1);
    }
  }
}

/** A parameter of a header value such as `multipart/form-data; boundary="x"` (RFC 9110 §5.6.6). */
const parameterPatterns = new Map<string, RegExp>();

function headerParameter(value: string, name: string): string | undefined {
  let pattern = parameterPatterns.get(name);
  if (pattern === undefined) {
    pattern = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
    parameterPatterns.set(name, pattern);
  }
  const match = pattern.exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** `filename*=UTF-8''shell%2Ephp` (RFC 6266 §4.3, RFC 8187): the encoded form is decoded by `deobfuscate`. */
function extendedFilename(disposition: string): string | undefined {
  const value = headerParameter(disposition, 'filename\\*');
  if (value === undefined) return undefined;
  const quote = value.indexOf("''");
  return quote === -1 ? value : value.slice(quote + 2);
}

function addMultipart(list: InputList, body: string, boundary: string): boolean {
  const delimiter = `--${boundary}`;
  const sections = body.split(delimiter);
  if (sections.length < 2) return false;
  for (const section of sections.slice(1)) {
    if (list.full || section.startsWith('--')) break;
    const headerEnd = /\r?\n\r?\n/.exec(section);
    if (!headerEnd) continue;
    const head = section.slice(0, headerEnd.index);
    let content = section.slice(headerEnd.index + headerEnd[0].length);
    content = content.replace(/\r?\n$/, '');
    const disposition = /^content-disposition:(.*)$/im.exec(head)?.[1] ?? '';
    const name = locationName(headerParameter(disposition, 'name') ?? '');
    const filename = headerParameter(disposition, 'filename') ?? extendedFilename(disposition);
    list.addName('body_names', name);
    if (filename !== undefined) list.add(name === '' ? 'files' : `files.${name}`, filename);
    list.add(name === '' ? 'body' : `body.${name}`, content);
  }
  return true;
}

/** `contentTypeHeader`: the Content-Type as `headerOf` finds it, when the caller already has it. */
function addBody(list: InputList, transaction: Transaction, contentTypeHeader: string | undefined): void {
  const body = transaction.body;
  if (body === null || body === '') return;
  const contentTypeSent = contentTypeHeader ?? headerOf(transaction, 'content-type');
  const contentType = (contentTypeSent ?? '').toLowerCase();
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  const sniffJson = mediaType === '' && /^\s*[[{]/.test(body);
  if (mediaType === 'application/x-www-form-urlencoded') return addForm(list, body, 'body');
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json') || sniffJson) {
    try {
      addJson(list, JSON.parse(body), '', 0);
      return;
    } catch {
      // Not JSON after all: inspected raw below.
    }
  }
  if (mediaType === 'multipart/form-data') {
    // The boundary is case-sensitive: read it from the header as sent.
    const boundary = headerParameter(contentTypeSent ?? '', 'boundary');
    if (boundary && addMultipart(list, body, boundary)) return;
  }
  list.add('body', body);
}

/** Adds the headers' inputs; returns the first own Content-Type header's value (the one `headerOf` finds). */
function addHeaders(list: InputList, transaction: Transaction): string | undefined {
  const headers = transaction.headers;
  let contentType: string | undefined;
  for (const name of Object.keys(headers)) {
    const value = headers[name] as string;
    const lower = lowerName(name);
    if (lower === 'content-type' && contentType === undefined) contentType = value;
    if (lower === 'cookie') {
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        const cookieName = (eq === -1 ? pair : pair.slice(0, eq)).trim();
        if (cookieName !== '' || eq !== -1) list.add(`cookies.${locationName(cookieName)}`, eq === -1 ? '' : pair.slice(eq + 1).trim());
      }
    } else if (inspectedHeaders.has(lower) || lower.startsWith('x-')) {
      list.add(headerLocation(lower), value);
    } else if (negotiationHeaders.has(lower) && breaksTokenList.test(value)) {
      list.add(headerLocation(lower), value);
    }
  }
  return contentType;
}

/** The transaction's inputs: path, headers and cookies, query, body, in that order, bounded. */
export function extractInputs(transaction: Transaction): Input[] {
  const list = new InputList();
  const uri = transaction.uri;
  const question = uri.indexOf('?');
  const path = question === -1 ? uri : uri.slice(0, question);
  list.add('path', path);
  // Headers before parameters: padding a request with hundreds of parameters must not push the
  // User-Agent or the cookies out of the bound.
  const contentType = addHeaders(list, transaction);
  if (question !== -1) addForm(list, uri.slice(question + 1), 'args');
  addBody(list, transaction, contentType);
  return list.inputs;
}
