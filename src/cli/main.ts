#!/usr/bin/env node
/**
 * @module cli/main
 * The `vigil` command: run the centre, check a configuration, replay historic logs, analyse HTTP
 * transactions for web attacks, list the formats, and reset a password on a stopped centre's data directory.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { startCentre } from '../centre.js';
import { loadConfig, type LoadedConfig } from '../core/config.js';
import { ConfigError, VigilError } from '../core/errors.js';
import { Scope } from '../core/scope.js';
import { loadRulePaths } from '../detect/rule-loader.js';
import { builtinRulesDir } from '../detect/rule-watcher.js';
import { hashPassword } from '../orgs/directory.js';
import { formatNames } from '../parse/registry.js';
import { openSqliteStore } from '../store/sqlite/open.js';
import { analyzeHttpCommand } from './analyze.js';
import { registerIntelCommands } from './intel.js';
import { registerWarnCommands } from './warn.js';
import { replayFile } from './replay.js';
import { matchRulesCommand, validateRulesCommand } from './rules.js';

const program = new Command()
  .name('vigil')
  .description('Vigil — national e-government security monitoring and early-warning centre')
  .version('0.1.0');

const configOption = new Option('-c, --config <file>', 'configuration file (default: $VIGIL_CONFIG, else ./vigil.yaml if present)');

function load(options: { config?: string; dataDir?: string; port?: string; demo?: boolean }): LoadedConfig {
  const env = { ...process.env };
  if (options.dataDir) env['VIGIL_DATA_DIR'] = options.dataDir;
  if (options.port) env['VIGIL_SERVER__PORT'] = options.port;
  if (options.demo !== undefined) env['VIGIL_DEMO__ENABLED'] = String(options.demo);
  return loadConfig({ ...(options.config ? { path: options.config } : {}), env });
}

program
  .command('start')
  .description('run the centre (demo mode with demo data when started without a configuration file)')
  .addOption(configOption)
  .option('-d, --data-dir <dir>', 'data directory (overrides dataDir)')
  .option('-p, --port <port>', 'HTTP port (overrides server.port)')
  .option('--demo', 'seed demo data and run the traffic simulator')
  .option('--no-demo', 'never seed demo data')
  .action(async (options: { config?: string; dataDir?: string; port?: string; demo?: boolean }) => {
    const loaded = load(options);
    const centre = await startCentre({ loaded, httpLogger: true });
    process.stdout.write(`Vigil is listening on ${centre.url} (API docs: ${centre.url}/api/docs; data: ${centre.config.dataDir})\n`);
    const stop = async (signal: string): Promise<void> => {
      process.stdout.write(`${signal}: stopping…\n`);
      await centre.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });

program
  .command('check-config')
  .description('validate a configuration file and print every problem with its location')
  .addOption(configOption)
  .action((options: { config?: string }) => {
    const loaded = load(options);
    process.stdout.write(`${loaded.file ?? '(defaults)'}: valid${loaded.demo ? ' (demo mode)' : ''}\n`);
  });

program
  .command('replay')
  .description('load historic logs from a file (plain or .gz) through the ingest API, with a progress bar')
  .argument('<file>', 'log file, one record per line')
  .requiredOption('-f, --format <format>', `format of the lines: ${formatNames.join(', ')}`)
  .requiredOption('-s, --sensor <id>', 'the sensor the lines come from (its key must match)')
  .option('-k, --key <key>', 'the sensor API key (default: $VIGIL_SENSOR_KEY)')
  .option('-u, --url <url>', 'the centre', process.env['VIGIL_URL'] ?? 'http://127.0.0.1:8080')
  .option('-b, --batch <n>', 'lines per batch', '1000')
  .option('--no-progress', 'no progress bar')
  .action(async (file: string, options: { format: string; sensor: string; key?: string; url: string; batch: string; progress: boolean }) => {
    const key = options.key ?? process.env['VIGIL_SENSOR_KEY'];
    if (!key) throw new Error('a sensor key is needed: --key or VIGIL_SENSOR_KEY');
    if (options.format !== 'auto' && !formatNames.includes(options.format)) throw new Error(`unknown format ${options.format}; known: auto, ${formatNames.join(', ')}`);
    const batchSize = Number(options.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 20_000) throw new Error('--batch must be 1–20000');
    const result = await replayFile({ file, format: options.format, sensor: options.sensor, key, url: options.url, batchSize, progress: options.progress, print: (t) => process.stderr.write(`${t}\n`) });
    process.stdout.write(`${result.lines} lines in ${result.batches} batches: ${result.accepted} accepted, ${result.rejected} rejected${result.duplicates ? `, ${result.duplicates} batches already loaded` : ''}\n`);
  });

const rules = program.command('rules').description('Sigma rules: validate, match events, list');

rules
  .command('validate')
  .description('one JSON line per *.yml/*.yaml under <rules-dir>: {"file","ok","error"?}')
  .argument('<rules-dir>')
  .addOption(configOption)
  .action(async (dir: string, options: { config?: string }) => {
    const placeholders = options.config ? load(options).config.detection.placeholders : {};
    await validateRulesCommand(dir, (line) => process.stdout.write(`${line}\n`), placeholders);
  });

rules
  .command('match')
  .description('run rules over flat JSON events (one per line, in time order): one JSON line per match')
  .requiredOption('--rules <file-or-dir>', 'a rule file or a directory of rules')
  .requiredOption('--events <events.jsonl>', 'events, one flat JSON object per line')
  .option('--ignore-logsource', 'evaluate every rule on every event, whatever its logsource')
  .option('--time-field <name>', 'field holding the event time (default: @timestamp, timestamp, UtcTime, TimeCreated …)')
  .addOption(configOption)
  .action(async (options: { rules: string; events: string; timeField?: string; ignoreLogsource?: boolean; config?: string }) => {
    if (!options.ignoreLogsource) throw new Error('flat events carry no logsource: pass --ignore-logsource');
    const placeholders = options.config ? load(options).config.detection.placeholders : {};
    await matchRulesCommand({
      rules: options.rules,
      events: options.events,
      placeholders,
      ...(options.timeField ? { timeField: options.timeField } : {}),
      write: (line) => process.stdout.write(`${line}\n`),
      warn: (line) => process.stderr.write(`${line}\n`),
    });
  });

rules
  .command('list')
  .description('the rules the centre runs (built-in pack and configured directories): status and hit counts from its data directory')
  .addOption(configOption)
  .option('-d, --data-dir <dir>', 'data directory')
  .option('--json', 'one JSON object per rule')
  .action(async (options: { config?: string; dataDir?: string; json?: boolean }) => {
    const { config } = load(options);
    const dirs = [...(config.detection.builtinRules ? [builtinRulesDir()] : []), ...config.detection.ruleDirs];
    const { ruleSet, files } = await loadRulePaths(dirs, { placeholders: config.detection.placeholders });
    const dbPath = join(config.dataDir, 'vigil.db');
    const hits = new Map<string, { hits: number; lastEventTime: string | null }>();
    const disabled = new Set<string>();
    if (existsSync(dbPath)) {
      const store = openSqliteStore({ path: dbPath });
      try {
        const scope = Scope.system('rules list from the command line');
        for (const [id, count] of store.alerts.countByRule(scope)) hits.set(id, count);
        for (const setting of store.ruleSettings.list(scope)) if (setting.orgId === null && !setting.enabled) disabled.add(setting.ruleId);
      } finally {
        store.close();
      }
    }
    const rows = [
      ...ruleSet.rules.map((r) => ({ id: r.id, kind: 'detection', level: r.level ?? '', title: r.title, file: r.location.file })),
      ...ruleSet.correlations.map((c) => ({ id: c.id, kind: c.type, level: c.level ?? '', title: c.title, file: c.location.file })),
    ].map((r) => ({ ...r, enabled: !disabled.has(r.id), hits: hits.get(r.id)?.hits ?? 0, lastHit: hits.get(r.id)?.lastEventTime ?? null }));
    for (const row of rows) {
      process.stdout.write(options.json ? `${JSON.stringify(row)}\n` : `${row.enabled ? 'on ' : 'off'} ${String(row.hits).padStart(7)}  ${row.level.padEnd(13)} ${row.kind.padEnd(16)} ${row.id}  ${row.title}\n`);
    }
    for (const file of files.filter((f) => !f.ok)) process.stderr.write(`refused ${file.file}: ${file.error ?? ''}\n`);
  });

const analyze = program.command('analyze').description('analyse transactions for web attacks');

analyze
  .command('http')
  .description('one JSON verdict per line of HTTP transactions (CLI shape or ECS web events): {"id","attack","classes","score","evidence"}')
  .requiredOption('--input <file>', 'transactions, one JSON object per line, or - for standard input')
  .action(async (options: { input: string }) => {
    await analyzeHttpCommand({
      input: options.input,
      write: (line) => process.stdout.write(`${line}\n`),
      warn: (line) => process.stderr.write(`${line}\n`),
    });
  });

registerIntelCommands(program, { configOption, load });
registerWarnCommands(program, { configOption, load });

program
  .command('formats')
  .description('list the formats sensors can send')
  .action(() => {
    process.stdout.write(`auto\n${formatNames.filter((f) => f !== 'auto').join('\n')}\n`);
  });

program
  .command('set-password')
  .description("set a user's password directly in a stopped centre's data directory")
  .argument('<username>')
  .addOption(configOption)
  .option('-d, --data-dir <dir>', 'data directory')
  .requiredOption('--password <password>', 'the new password (12+ characters)')
  .action(async (username: string, options: { config?: string; dataDir?: string; password: string }) => {
    if (options.password.length < 12) throw new Error('the password needs at least 12 characters');
    const { config } = load(options);
    const store = openSqliteStore({ path: join(config.dataDir, 'vigil.db') });
    try {
      const scope = Scope.system('operator password reset from the command line');
      const user = store.users.findCredentials(scope, username);
      if (!user) throw new Error(`no user ${username}`);
      store.users.update(scope, user.id, { passwordHash: await hashPassword(options.password) });
      process.stdout.write(`password of ${username} changed\n`);
    } finally {
      store.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else if (error instanceof VigilError) process.stderr.write(`${error.code}: ${error.message}\n`);
  else process.stderr.write(`vigil: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
