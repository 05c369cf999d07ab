/**
 * @module cli/intel
 * `vigil intel import <file|dir|url>`: loads intelligence (STIX 2.1 bundle, MISP event, MISP feed,
 * CSV, plain list — intel/importer) straight into a centre's store, stopped or running. The store
 * is SQLite in WAL mode with a busy timeout, so this second connection writes between the running
 * centre's transactions, and the centre's matcher picks the new indicators up from the store's
 * change versions within a second (intel/pipeline). A MISP feed's `since` is kept in the store
 * per feed location, so running the same import again reads only the events changed since.
 * The summary is printed as JSON on stdout; a progress bar goes to stderr when it is a terminal.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command, Option } from 'commander';
import type { LoadedConfig } from '../core/config.js';
import { Scope } from '../core/scope.js';
import { importIntelFile, intelFileFormats, type ImportProgress, type IntelFileFormat } from '../intel/importer.js';
import { isUrl } from '../intel/misp-feed.js';
import { indicatorTypes, type IndicatorType, type Tlp } from '../intel/model.js';
import { parseTlp } from '../intel/tlp.js';
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

export interface IntelCommandDeps {
  configOption: Option;
  load: (options: { config?: string; dataDir?: string }) => LoadedConfig;
}

export function registerIntelCommands(program: Command, deps: IntelCommandDeps): void {
  const intel = program.command('intel').description('threat intelligence: import indicators from files, feeds and URLs');
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
