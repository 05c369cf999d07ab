/**
 * @module cli/intel
 * `vigil intel import <file|dir|url>`: loads intelligence (STIX 2.1 bundle, MISP event, MISP feed,
 * CSV, plain list — intel/importer) straight into a centre's store, stopped or running. The store
 * is SQLite in WAL mode with a busy timeout, so this second connection writes between the running
 * centre's transactions, and the centre's matcher picks the new indicators up from the store's
 * change versions within a second (intel/pipeline). A MISP feed's `since` is kept in the store
 * per feed location, so running the same import again reads only the events changed since.
 * The summary is printed as JSON on stdout; a progress bar goes to stderr when it is a terminal.
 *
 * `vigil intel export`: a STIX 2.1 bundle (intel/stix/export) of the store's intelligence as the
 * national centre holds it — everything TLP 2.0 lets out (never RED), sightings named by
 * organisation — for another platform or an offline hand-over. `vigil intel stats`: the figures
 * of intel/stats for the centre, as a table or JSON.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command, Option } from 'commander';
import type { LoadedConfig } from '../core/config.js';
import { Scope } from '../core/scope.js';
import { importIntelFile, intelFileFormats, type ImportProgress, type IntelFileFormat } from '../intel/importer.js';
import { isUrl } from '../intel/misp-feed.js';
import { indicatorTypes, type IndicatorType, type Tlp } from '../intel/model.js';
import { intelStatistics, type IntelStatistics, type StateCounts } from '../intel/stats.js';
import { EXPORT_DEFAULT_LIMIT, EXPORT_MAX_LIMIT, exportableTlpLevels, exportStixBundle, formatExportPosition, parseExportPosition, type ExportableTlp, type StixExportOptions } from '../intel/stix/export.js';
import { formatTlp, intelViewer, parseTlp } from '../intel/tlp.js';
import { OrgTree } from '../orgs/tree.js';
import type { Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqlite/open.js';

interface ImportCommandOptions {
  config?: string;
  dataDir?: string;
  format: string;
  type?: string;
  tlp?: string;
  source?: string;
  org?: string;
  confidence?: string;
  since?: string;
  full?: boolean;
  includeNonIds?: boolean;
  valueColumn?: string;
  typeColumn?: string;
  progress: boolean;
}

interface ExportCommandOptions {
  config?: string;
  dataDir?: string;
  out?: string;
  tlp?: string;
  since?: string;
  types?: string;
  all?: boolean;
  limit?: string;
  next?: string;
  sightings: boolean;
}

interface StatsCommandOptions {
  config?: string;
  dataDir?: string;
  json?: boolean;
  top?: string;
}

export interface IntelCommandDeps {
  configOption: Option;
  load: (options: { config?: string; dataDir?: string }) => LoadedConfig;
}

/** Where a command writes: the result on `write` (standard output), notes on `warn` (standard error). */
export interface CommandOutput {
  write: (text: string) => void;
  warn: (text: string) => void;
}

const stdio: CommandOutput = { write: (text) => process.stdout.write(text), warn: (text) => process.stderr.write(text) };

export function registerIntelCommands(program: Command, deps: IntelCommandDeps): void {
  const intel = program.command('intel').description('threat intelligence: import indicators from files, feeds and URLs; export STIX 2.1 bundles; statistics');
  intel
    .command('import')
    .description('import a STIX 2.1 bundle, a MISP event, a MISP feed (directory or URL), a CSV or a plain list into the store; prints a JSON summary')
    .argument('<location>', 'file, MISP feed directory, or http(s) URL')
    .addOption(deps.configOption)
    .option('-d, --data-dir <dir>', 'data directory (overrides dataDir)')
    .option('-f, --format <format>', `one of ${intelFileFormats.join(', ')}`, 'auto')
    .option('-t, --type <type>', `type of every value of a text or CSV feed: ${indicatorTypes.join(', ')} (default: by shape)`)
    .option('--tlp <tlp>', 'TLP of text and CSV values; default for unmarked STIX and MISP (default: amber)')
    .option('-s, --source <source>', 'the source name stored with each indicator')
    .option('-o, --org <org>', 'owner organisation, by code or id (default: the national centre)')
    .option('--confidence <n>', 'confidence 0–100 (text, CSV; default for STIX; overrides MISP)')
    .option('--since <unix-seconds>', 'MISP feed: only events changed after this time (default: the last import of this feed)')
    .option('--full', 'MISP feed: read every event, whatever was imported before')
    .option('--include-non-ids', 'MISP: also import attributes with to_ids false')
    .option('--value-column <name-or-index>', 'CSV: the column of the value (default: the first)')
    .option('--type-column <name-or-index>', 'CSV: a column naming each value\'s type')
    .option('--no-progress', 'no progress bar')
    .action(async (location: string, options: ImportCommandOptions) => {
      const summary = await intelImportCommand(location, options, deps);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });
  intel
    .command('export')
    .description('write a STIX 2.1 bundle of the intelligence in the store as the national centre holds it (never TLP:RED), with sightings; prints a JSON summary')
    .addOption(deps.configOption)
    .option('-d, --data-dir <dir>', 'data directory (overrides dataDir)')
    .option('--out <file>', 'write the bundle to this file (default: standard output, the summary then going to standard error)')
    .option('--tlp <max>', `the most restrictive marking to include: ${exportableTlpLevels.join(', ')} (default: amber+strict)`)
    .option('--since <iso>', 'only indicators added or changed after this time (ISO 8601); revoked and expired ones come too')
    .option('-t, --types <list>', `comma-separated indicator types (default: all): ${indicatorTypes.join(', ')}`)
    .option('--all', 'also revoked and expired indicators (the default with --since)')
    .option('--limit <n>', `at most this many indicators (default ${EXPORT_DEFAULT_LIMIT}, at most ${EXPORT_MAX_LIMIT})`)
    .option('--next <position>', 'continue an export cut short by --limit (the position it printed)')
    .option('--no-sightings', 'leave the sightings out')
    .action((options: ExportCommandOptions) => {
      intelExportCommand(options, deps);
    });
  intel
    .command('stats')
    .description('indicators in force, expired and revoked by type, TLP and source; sightings over 24 h and 7 days; the most sighted indicators')
    .addOption(deps.configOption)
    .option('-d, --data-dir <dir>', 'data directory (overrides dataDir)')
    .option('--top <n>', 'how many of the most sighted indicators (default 10, at most 100)')
    .option('--json', 'print the statistics as JSON')
    .action((options: StatsCommandOptions) => {
      intelStatsCommand(options, deps);
    });
}

/** `vigil intel export`: the bundle to `--out` (replaced whole, never half written) or to standard output. */
export function intelExportCommand(options: ExportCommandOptions, deps: Pick<IntelCommandDeps, 'load'>, output: CommandOutput = stdio): Record<string, unknown> {
  const exportOptions = exportOptionsOf(options);
  return withStore(deps, options, 'intelligence export from the command line', (store, scope) => {
    const tree = new OrgTree(store.orgs.list(scope));
    const centre = resolveOwner(store, scope, undefined);
    const result = exportStixBundle({ indicators: store.indicators, sightings: store.sightings, tree, now: Date.now() }, { viewer: intelViewer(centre, tree), scope }, exportOptions);
    const text = `${JSON.stringify(result.bundle)}\n`;
    if (options.out !== undefined) {
      const partial = `${options.out}.partial`;
      writeFileSync(partial, text);
      renameSync(partial, options.out);
    } else output.write(text);
    const next = result.next ? formatExportPosition(result.next) : null;
    const summary = { ...(options.out !== undefined ? { out: options.out } : {}), bundle: result.bundle.id, ...result.counts, truncated: result.truncated, next, lastAdded: result.lastAdded, skipped: result.skippedCount, ...(result.skipped.length > 0 ? { skippedIndicators: result.skipped } : {}) };
    const summaryText = `${JSON.stringify(summary, null, 2)}\n`;
    if (options.out !== undefined) output.write(summaryText);
    else output.warn(summaryText);
    if (next !== null) output.warn(`more indicators than --limit ${exportOptions.limit ?? EXPORT_DEFAULT_LIMIT}: run again with the same options and --next ${next}\n`);
    return summary;
  });
}

function exportOptionsOf(options: ExportCommandOptions): StixExportOptions {
  const tlp = options.tlp === undefined ? undefined : parseTlp(options.tlp);
  if (tlp === null || tlp === 'red') throw new Error(`--tlp must be one of ${exportableTlpLevels.join(', ')}${tlp === 'red' ? ' (TLP:RED is never exported)' : ''}`);
  const since = options.since === undefined ? undefined : Date.parse(options.since);
  if (since !== undefined && Number.isNaN(since)) throw new Error(`--since must be an ISO 8601 time, not ${options.since}`);
  const types = options.types === undefined ? undefined : options.types.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const unknown = (types ?? []).filter((t) => !(indicatorTypes as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`unknown indicator type ${unknown.join(', ')}; known: ${indicatorTypes.join(', ')}`);
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= EXPORT_MAX_LIMIT)) throw new Error(`--limit must be an integer 1–${EXPORT_MAX_LIMIT}`);
  const after = options.next === undefined ? undefined : parseExportPosition(options.next);
  if (after === null) throw new Error(`--next must be the position an earlier export printed (<ms>.<n>), not ${options.next}`);
  return {
    sightings: options.sightings,
    ...(tlp !== undefined ? { tlpMax: tlp as ExportableTlp } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(types !== undefined ? { types: types as IndicatorType[] } : {}),
    ...(options.all ? { inactive: true } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

/** `vigil intel stats`: the national centre's figures, as an aligned table or JSON. */
export function intelStatsCommand(options: StatsCommandOptions, deps: Pick<IntelCommandDeps, 'load'>, output: CommandOutput = stdio): IntelStatistics {
  const top = options.top === undefined ? 10 : Number(options.top);
  if (!(Number.isInteger(top) && top >= 1 && top <= 100)) throw new Error('--top must be an integer 1–100');
  return withStore(deps, options, 'intelligence statistics from the command line', (store, scope) => {
    const tree = new OrgTree(store.orgs.list(scope));
    const centre = resolveOwner(store, scope, undefined);
    const stats = intelStatistics({ indicators: store.indicators, sightings: store.sightings, now: Date.now() }, { viewer: intelViewer(centre, tree), scope }, { top });
    output.write(options.json ? `${JSON.stringify(stats, null, 2)}\n` : formatIntelStatistics(stats));
    return stats;
  });
}

/** The statistics as aligned text tables: one per breakdown, counts right-aligned. */
export function formatIntelStatistics(stats: IntelStatistics): string {
  const states = (c: StateCounts) => [c.active, c.expired, c.revoked, c.total].map(String);
  const sections = [
    table(`Indicators at ${stats.at}`, ['', 'active', 'expired', 'revoked', 'total'], [['all', ...states(stats.indicators.total)]]),
    table('By type', ['type', 'active', 'expired', 'revoked', 'total'], stats.indicators.byType.map((r) => [r.type, ...states(r)])),
    table('By TLP', ['TLP', 'active', 'expired', 'revoked', 'total'], stats.indicators.byTlp.map((r) => [formatTlp(r.tlp), ...states(r)])),
    table('By source', ['source', 'active', 'expired', 'revoked', 'total'], stats.indicators.bySource.map((r) => [r.source, ...states(r)])),
    table('Sightings', ['', 'last 24 h', 'last 7 days'], [
      ['sightings', String(stats.sightings.last24h.sightings), String(stats.sightings.last7d.sightings)],
      ['organisations', String(stats.sightings.last24h.organisations), String(stats.sightings.last7d.organisations)],
    ]),
    table('Most sighted (7 days)', ['count', 'last seen', 'TLP', 'type', 'value'], stats.sightings.top.map((t) => [String(t.count), t.lastSeen, formatTlp(t.tlp), t.type, t.value]), (i) => i === 0),
  ];
  return sections.join('\n');
}

/** A titled table, each column as wide as its widest cell; `right` says which columns are numbers (right-aligned). */
function table(title: string, header: string[], rows: string[][], right: (column: number) => boolean = (i) => i > 0): string {
  if (rows.length === 0) return `${title}\n  (none)\n`;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (right(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return `${[title, line(header), ...rows.map(line)].join('\n')}\n`;
}

/** Opens the store of the configured data directory with a system scope, runs `work`, closes it. */
function withStore<T>(deps: Pick<IntelCommandDeps, 'load'>, options: { config?: string; dataDir?: string }, reason: string, work: (store: Store, scope: Scope) => T): T {
  const { config } = deps.load(options);
  const dbPath = join(config.dataDir, 'vigil.db');
  if (!existsSync(dbPath)) throw new Error(`no Vigil store at ${dbPath}: start the centre once, or pass --config or --data-dir`);
  const store = openSqliteStore({ path: dbPath, synchronous: config.store.synchronous });
  try {
    return work(store, Scope.system(reason));
  } finally {
    store.close();
  }
}

async function intelImportCommand(location: string, options: ImportCommandOptions, deps: IntelCommandDeps) {
  if (!(intelFileFormats as readonly string[]).includes(options.format)) throw new Error(`unknown format ${options.format}; known: ${intelFileFormats.join(', ')}`);
  if (options.type !== undefined && !(indicatorTypes as readonly string[]).includes(options.type)) throw new Error(`unknown indicator type ${options.type}; known: ${indicatorTypes.join(', ')}`);
  const tlp = options.tlp === undefined ? undefined : parseTlp(options.tlp);
  if (tlp === null) throw new Error(`unknown TLP ${options.tlp}; known: clear (white), green, amber, amber+strict, red`);
  const confidence = options.confidence === undefined ? undefined : Number(options.confidence);
  if (confidence !== undefined && !(Number.isInteger(confidence) && confidence >= 0 && confidence <= 100)) throw new Error('--confidence must be an integer 0–100');
  const since = options.since === undefined ? undefined : Number(options.since);
  if (since !== undefined && !(Number.isFinite(since) && since >= 0)) throw new Error('--since must be a Unix time in seconds');
  if (!isUrl(location) && !existsSync(location)) throw new Error(`cannot read ${location}: no such file or directory`);

  const { config } = deps.load(options);
  const dbPath = join(config.dataDir, 'vigil.db');
  if (!existsSync(dbPath)) throw new Error(`no Vigil store at ${dbPath}: start the centre once, or pass --config or --data-dir`);
  const store = openSqliteStore({ path: dbPath, synchronous: config.store.synchronous });
  try {
    const scope = Scope.system('intelligence import from the command line');
    const owner = resolveOwner(store, scope, options.org);
    const feedKey = `intel-import:misp-feed:${isUrl(location) ? location : resolve(location)}`;
    const saved = Number((JSON.parse(store.consumerState.get(scope, feedKey) ?? '{}') as { since?: unknown }).since ?? 0);
    const bar = options.progress && process.stderr.isTTY ? new SingleBar({ format: 'intel [{bar}] {percentage}% | {value}/{total} {unit} | {read} read', stream: process.stderr }) : null;
    let started = false;
    const onProgress = (p: ImportProgress): void => {
      if (!bar) return;
      if (!started) {
        bar.start(p.total, p.done, { unit: p.unit, read: p.read });
        started = true;
      }
      bar.setTotal(p.total);
      bar.update(p.done, { unit: p.unit, read: p.read });
    };
    try {
      const summary = await importIntelFile(location, {
        format: options.format as IntelFileFormat,
        ownerOrgId: owner,
        upsert: (batch) => store.indicators.upsert(scope, batch),
        ...(options.type ? { type: options.type as IndicatorType } : {}),
        ...(tlp ? { tlp: tlp as Tlp } : {}),
        ...(options.source ? { source: options.source } : {}),
        ...(confidence !== undefined ? { confidence } : {}),
        includeNonIds: options.includeNonIds ?? false,
        since: since ?? (options.full ? 0 : saved),
        ...(options.valueColumn !== undefined || options.typeColumn !== undefined ? { csv: { ...(options.valueColumn !== undefined ? { valueColumn: columnOf(options.valueColumn) } : {}), ...(options.typeColumn !== undefined ? { typeColumn: columnOf(options.typeColumn) } : {}) } } : {}),
      }, onProgress);
      if (summary.format === 'misp-feed' && summary.since !== undefined) store.consumerState.save(scope, feedKey, 0, JSON.stringify({ since: summary.since }));
      return { location, ownerOrgId: owner, ...summary };
    } finally {
      if (started) bar?.stop();
    }
  } finally {
    store.close();
  }
}

/** A column given on the command line: a 0-based index when it is digits, else a header name. */
function columnOf(text: string): string | number {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** The owner organisation: by id or code, or the root (the national centre) when not given. */
function resolveOwner(store: Store, scope: Scope, org: string | undefined): string {
  if (org !== undefined) {
    const found = store.orgs.get(scope, org) ?? store.orgs.getByCode(scope, org);
    if (!found) throw new Error(`unknown organisation ${org} (give its code or id)`);
    return found.id;
  }
  const roots = store.orgs.list(scope).filter((o) => o.parentId === null);
  if (roots.length !== 1) throw new Error(roots.length === 0 ? 'the store has no organisation yet: start the centre once' : 'the store has several root organisations: pass --org');
  return (roots[0] as { id: string }).id;
}
