/**
 * @module analyze/inputs
 * Every place an attacker controls in a transaction, named as the CLI reports it: the path, each
 * query parameter (`args.<name>`, repeats kept) and each name once (`args_names`), the body by its
 * Content-Type — form (`body.<name>`), JSON (`body.<dotted.path>` per leaf, arrays by index),
 * multipart/form-data (RFC 7578: fields `body.<name>`, file names `files.<field>`, file content
 * `body.<field>`), anything else raw (`body`) — and the headers worth inspecting, cookies split
 * (`cookies.<name>`, RFC 6265 §4.2.1). Bounded whatever arrives: at most `maxInputs` inputs and
 * `maxValueLength` characters per value, truncated, never an exception.
 */
import { headerOf, type Input, type Transaction } from './contract.js';
import { decodeFormComponent, deobfuscate } from './decode.js';

export const maxInputs = 256;
/** 64 KiB of characters per value. */
export const maxValueLength = 64 * 1024;
/** Parameter names are locations; a name longer than this is cut in the location (its value stays whole). */
const maxNameLength = 128;
const maxJsonDepth = 32;

/** Headers inspected by name; every `x-*` header is inspected too. */
const inspectedHeaders = new Set(['user-agent', 'referer', 'x-forwarded-for', 'content-type']);

class InputList {
  readonly inputs: Input[] = [];

  get full(): boolean {
    return this.inputs.length >= maxInputs;
  }

  add(location: string, raw: string, decode: (v: string) => string = deobfuscate): void {
    if (this.full) return;
    const bounded = raw.length > maxValueLength ? raw.slice(0, maxValueLength) : raw;
    this.inputs.push({ location, raw: bounded, decoded: decode(bounded) });
  }

  private readonly names = new Set<string>();

  /** A parameter name (`args_names`, `body_names`): each one once, however often it repeats. */
  addName(location: 'args_names' | 'body_names', raw: string, decode: (v: string) => string = deobfuscate): void {
    const key = `${location}\u0000${raw}`;
    if (this.names.has(key)) return;
    this.names.add(key);
    this.add(location, raw, decode);
  }
}

function locationName(name: string): string {
  return name.length > maxNameLength ? name.slice(0, maxNameLength) : name;
}

/** `a=1&b=2` pairs, names decoded, values raw (still encoded). */
function formPairs(data: string): { name: string; rawName: string; value: string }[] {
  const pairs: { name: string; rawName: string; value: string }[] = [];
  for (const part of data.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq === -1 ? part : part.slice(0, eq);
    pairs.push({ name: locationName(decodeFormComponent(rawName.slice(0, maxNameLength * 4))), rawName, value: eq === -1 ? '' : part.slice(eq + 1) });
    if (pairs.length >= maxInputs) break;
  }
  return pairs;
}

function addForm(list: InputList, data: string, prefix: 'args' | 'body'): void {
  const pairs = formPairs(data);
  for (const pair of pairs) list.add(`${prefix}.${pair.name}`, pair.value, decodeFormComponent);
  for (const pair of pairs) list.addName(`${prefix}_names`, pair.rawName, decodeFormComponent);
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
function headerParameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(value);
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

function addBody(list: InputList, transaction: Transaction): void {
  const body = transaction.body;
  if (body === null || body === '') return;
  const contentType = (headerOf(transaction, 'content-type') ?? '').toLowerCase();
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
    const boundary = headerParameter(headerOf(transaction, 'content-type') ?? '', 'boundary');
    if (boundary && addMultipart(list, body, boundary)) return;
  }
  list.add('body', body);
}

function addHeaders(list: InputList, transaction: Transaction): void {
  for (const [name, value] of Object.entries(transaction.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        const cookieName = (eq === -1 ? pair : pair.slice(0, eq)).trim();
        if (cookieName !== '' || eq !== -1) list.add(`cookies.${locationName(cookieName)}`, eq === -1 ? '' : pair.slice(eq + 1).trim());
      }
    } else if (inspectedHeaders.has(lower) || lower.startsWith('x-')) {
      list.add(`headers.${lower}`, value);
    }
  }
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
  addHeaders(list, transaction);
  if (question !== -1) addForm(list, uri.slice(question + 1), 'args');
  addBody(list, transaction);
  return list.inputs;
}
