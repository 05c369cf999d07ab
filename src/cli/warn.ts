/**
 * @module cli/warn
 * `vigil warn issue <file.yaml>`: writes a warning or advisory from a YAML file (the same fields
 * as `POST /api/v1/warnings`, checked the same way) straight into a centre's store and issues it;
 * the running centre's delivery worker sends it. `--preview` shows who it would reach and stores
 * nothing; `--draft` stores it unissued. It acts for the national centre, or `--as <org>` for an
 * organisation within whose subtree the targets must then lie.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { warningBodySchema, createWarning } from '../api/warnings.js';
import { systemClock } from '../core/clock.js';
import type { LoadedConfig } from '../core/config.js';
import { Scope } from '../core/scope.js';
import { OrgTree } from '../orgs/tree.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import { DeliveryOutbox } from '../warn/delivery-outbox.js';
import { WarningService } from '../warn/warning-service.js';
import { importKevCatalog, type KevImportResult } from '../warn/vulnerability-feed.js';

export interface WarnCommandDeps {
  configOption: Option;
  load: (options: { config?: string; dataDir?: string }) => LoadedConfig;
}

interface IssueOptions {
  config?: string;
  dataDir?: string;
  as?: string;
  draft?: boolean;
  preview?: boolean;
}

export interface IssueResult {
  preview: boolean;
  warning?: { id: string; status: string; recipientCount: number };
  recipients: { org: string; reasons: string[]; systems: string[] }[];
}

/** Reads, checks and issues (or previews) the warning in `file`; throws with the reason when anything is wrong. */
export function warnIssueCommand(file: string, options: IssueOptions, deps: WarnCommandDeps): IssueResult {
  if (!existsSync(file)) throw new Error(`cannot read ${file}: no such file`);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = warningBodySchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  }
  const { config } = deps.load(options);
  const dbPath = join(config.dataDir, 'vigil.db');
  if (!existsSync(dbPath)) throw new Error(`no Vigil store at ${dbPath}: start the centre once, or pass --config or --data-dir`);
  const store = openSqliteStore({ path: dbPath, synchronous: config.store.synchronous });
  try {
    const system = Scope.system('warning issued from the command line');
    const orgs = store.orgs.list(system);
    const tree = new OrgTree(orgs);
    const root = orgs.find((o) => o.parentId === null);
    if (!root) throw new Error('the store has no national centre yet: start the centre once');
    const as = options.as === undefined ? root : orgs.find((o) => o.id === options.as || o.code === options.as?.toUpperCase());
    if (!as) throw new Error(`unknown organisation ${options.as}`);
    const scope = as.id === root.id ? system : Scope.subtree(as.id, tree);
    const outbox = new DeliveryOutbox(store, systemClock, { digestIntervalMs: config.delivery.digestMinutes * 60_000 });
    const service = new WarningService(store, outbox, systemClock, { stepMinutes: config.warn.escalation.stepMinutes });
    const codes = new Map(orgs.map((o) => [o.id, o.code]));
    if (options.preview === true) {
      const recipients = service.preview(scope, parsed.data.targets);
      return { preview: true, recipients: recipients.map((r) => ({ org: r.code, reasons: r.reasons, systems: r.systemIds })) };
    }
    const body = { ...parsed.data, issue: options.draft !== true };
    const created = createWarning({ store }, service, { scope, user: { id: `cli:${process.env['USER'] ?? 'operator'}`, orgId: as.id } }, body, systemClock.now());
    const recipients = created.status === 'issued' ? store.warnings.recipients({ scope, orgId: as.id }, created.id) : [];
    return {
      preview: false,
      warning: { id: created.id, status: created.status, recipientCount: created.recipientCount },
      recipients: recipients.map((r) => ({ org: codes.get(r.orgId) ?? r.orgId, reasons: r.reasons, systems: r.systemIds })),
    };
  } finally {
    store.close();
  }
}

/** Imports a known-exploited-vulnerabilities catalogue (file or http(s) URL) as advisories (warn/vulnerability-feed). */
export async function warnKevCommand(location: string, options: { config?: string; dataDir?: string }, deps: WarnCommandDeps): Promise<KevImportResult> {
  let text: string;
  if (/^https?:\/\//i.test(location)) {
    const response = await fetch(location, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) throw new Error(`${location} answered ${response.status}`);
    text = await response.text();
  } else {
    if (!existsSync(location)) throw new Error(`cannot read ${location}: no such file`);
    text = readFileSync(location, 'utf8');
  }
  const { config } = deps.load(options);
  const dbPath = join(config.dataDir, 'vigil.db');
  if (!existsSync(dbPath)) throw new Error(`no Vigil store at ${dbPath}: start the centre once, or pass --config or --data-dir`);
  const store = openSqliteStore({ path: dbPath, synchronous: config.store.synchronous });
  try {
    const outbox = new DeliveryOutbox(store, systemClock, { digestIntervalMs: config.delivery.digestMinutes * 60_000 });
    const service = new WarningService(store, outbox, systemClock, { stepMinutes: config.warn.escalation.stepMinutes });
    return importKevCatalog(text, store, service, systemClock, `cli:${process.env['USER'] ?? 'operator'}`);
  } finally {
    store.close();
  }
}

export function registerWarnCommands(program: Command, deps: WarnCommandDeps): void {
  const warn = program.command('warn').description('early warnings: issue a warning or advisory from a YAML file');
  warn
    .command('issue')
    .description('check a warning written in YAML (fields of POST /api/v1/warnings), resolve its targets and issue it; prints a JSON summary with the recipients')
    .argument('<file>', 'the warning, in YAML')
    .addOption(deps.configOption)
    .option('-d, --data-dir <dir>', 'data directory (overrides dataDir)')
    .option('--as <org>', 'issue for this organisation (code or id; default: the national centre)')
    .option('--draft', 'store it as a draft, not issued')
    .option('--preview', 'only show who it would reach; store nothing')
    .action((file: string, options: IssueOptions) => {
      const result = warnIssueCommand(file, options, deps);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
  warn
    .command('kev')
    .description('import a known-exploited-vulnerabilities catalogue (CISA JSON format): one advisory per vulnerability to the organisations whose inventory runs the product; prints a JSON summary')
    .argument('<location>', 'file or http(s) URL')
    .addOption(deps.configOption)
    .option('-d, --data-dir <dir>', 'data directory (overrides dataDir)')
    .action(async (location: string, options: { config?: string; dataDir?: string }) => {
      const result = await warnKevCommand(location, options, deps);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
}
