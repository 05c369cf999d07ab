/**
 * @module analyze/contract
 * The seams of the web-transaction analyser, so its stages are built and tested alone:
 *  - a transaction (from the CLI's JSON, or from an ECS web event);
 *  - its inputs: every place an attacker controls (path, each query/form/JSON/multipart
 *    parameter, headers, cookies, body), each with its raw value and its decoded forms;
 *  - detectors: one per attack family, each looking at inputs with a parser that understands the
 *    target language, returning findings with class, score and decoded evidence;
 *  - the verdict: the findings of a transaction combined.
 */

/** Attack classes, as the CLI contract names them. */
export const attackClasses = ['sqli', 'xss', 'lfi', 'rfi', 'rce', 'code', 'ssrf', 'xxe', 'deser', 'webshell', 'scanner', 'other'] as const;
export type AttackClass = (typeof attackClasses)[number];

/** One HTTP transaction as the analyser sees it. */
export interface Transaction {
  id: string;
  method: string;
  /** Path and query as sent (`/path?query`), still encoded. */
  uri: string;
  /** Header names as sent; lookups are case-insensitive (use `headerOf`). */
  headers: Record<string, string>;
  body: string | null;
  /** Response status when known (access logs). */
  status?: number;
}

/**
 * One attacker-controlled input. `location` names it as the CLI reports it: `path`,
 * `args.<name>` (query), `body.<name>` (form / JSON path / multipart field), `body` (raw body),
 * `headers.<name>` (lower-case), `cookies.<name>`, `files.<field>` (multipart file name),
 * `args_names` / `body_names` (parameter names themselves).
 */
export interface Input {
  location: string;
  /** The value as received. */
  raw: string;
  /**
   * The value after undoing what attackers use to hide: repeated URL decoding, `%u`/`\u` escapes,
   * HTML entities, overlong UTF-8, NUL bytes; not lower-cased. Detectors lower-case as they need.
   */
  decoded: string;
}

export interface Finding {
  class: AttackClass;
  /** 0–10: how sure the detector is (≥ 5 is an attack on its own). */
  score: number;
  location: string;
  /** The decoded value (or the part of it) that decided. */
  decoded: string;
  /** Short machine-readable reason, e.g. `sqli:union-select`, `xss:event-handler`. */
  reason: string;
}

export interface Detector {
  readonly name: string;
  /** Findings for one transaction; `inputs` are the transaction's extracted inputs. */
  inspect(transaction: Transaction, inputs: readonly Input[]): Finding[];
}

/** The CLI's output line for one transaction (issue contract). */
export interface Verdict {
  id: string;
  attack: boolean;
  classes: AttackClass[];
  score: number;
  evidence: { location: string; class: AttackClass; decoded: string }[];
}

/** Case-insensitive header lookup. */
export function headerOf(transaction: Transaction, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const key in transaction.headers) if (key.toLowerCase() === wanted) return transaction.headers[key];
  return undefined;
}
