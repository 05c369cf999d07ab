/**
 * @module core/config
 * The configuration: one YAML file (`vigil.yaml`; path by `--config` or `VIGIL_CONFIG`), then
 * environment overrides (`VIGIL_SERVER__PORT=9000` sets `server.port`; `__` separates levels,
 * values are parsed as YAML scalars). It is validated once at start-up — every problem collected
 * and reported together with its file, line and column — and then frozen. Nothing re-reads it.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { LineCounter, isMap, parse as parseYamlValue, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const port = z.number().int().min(0).max(65535);
const listener = (defaultPort: number) =>
  z.object({ enabled: z.boolean().default(false), host: z.string().default('0.0.0.0'), port: port.default(defaultPort) }).strict();
const tzOffset = z.string().regex(/^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, 'must be Z or an offset like +07:00');

export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('./data'),
    server: z
      .object({
        host: z.string().default('0.0.0.0'),
        port: port.default(8080),
        /** Trust X-Forwarded-For from a reverse proxy in front of Vigil. */
        trustProxy: z.boolean().default(false),
        logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({}),
    store: z
      .object({
        kind: z.literal('sqlite').default('sqlite'),
        /** full: an acknowledged batch survives power loss; normal: survives a process crash. */
        synchronous: z.enum(['full', 'normal']).default('full'),
        /** Commit ingest batches on a writer thread, so SQLite and parsing use both cores. */
        writerThread: z.boolean().default(true),
        retentionDays: z.number().int().min(1).max(3650).default(90),
        deadLetterRetentionDays: z.number().int().min(1).max(3650).default(30),
      })
      .strict()
      .default({}),
    ingest: z
      .object({
        /** Largest request body as sent (compressed or not). */
        maxBodyBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
        /** Largest body after gzip decoding: a guard against decompression bombs. */
        maxDecodedBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
        maxBatchEvents: z.number().int().min(1).default(20_000),
        maxLineBytes: z.number().int().min(256).default(64 * 1024),
        /** Per-sensor token bucket: events per second and burst (events). */
        ratePerSecond: z.number().int().min(1).default(20_000),
        rateBurst: z.number().int().min(1).default(100_000),
        /** Events stamped further in the future than this are rejected (clock skew guard). */
        maxFutureSkewSeconds: z.number().int().min(0).default(86_400),
        idempotencyTtlHours: z.number().int().min(1).default(72),
        /** Offset for timestamps without a zone when the sensor names none. */
        defaultTimezone: tzOffset.default('+07:00'),
      })
      .strict()
      .default({}),
    syslog: z
      .object({
        udp: listener(5514).default({}),
        tcp: listener(5514).default({}),
        tls: listener(6514)
          .extend({
            cert: z.string().optional(),
            key: z.string().optional(),
            ca: z.string().optional(),
            requireClientCert: z.boolean().default(true),
          })
          .strict()
          .default({}),
        maxMessageBytes: z.number().int().min(480).default(64 * 1024),
        flushIntervalMs: z.number().int().min(1).default(200),
        maxBatch: z.number().int().min(1).default(1000),
        /** How often the listeners re-read sensors (new sources, disabled sensors). */
        sensorRefreshMs: z.number().int().min(50).default(5000),
      })
      .strict()
      .superRefine((value, ctx) => {
        if (value.tls.enabled && (!value.tls.cert || !value.tls.key)) {
          ctx.addIssue({ code: 'custom', path: ['tls'], message: 'tls.enabled needs cert and key (PEM file paths)' });
        }
      })
      .default({}),
    parsers: z
      .object({
        json: z
          .object({
            /** Named field mappings for generic JSON sensors: ECS field ← source field. */
            mappings: z.record(z.string(), z.record(z.string(), z.string())).default({}),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    detection: z
      .object({
        enabled: z.boolean().default(true),
        /** Rule directories loaded besides the built-in pack (`rules/`). */
        ruleDirs: z.array(z.string()).default([]),
        /** Load the built-in pack. */
        builtinRules: z.boolean().default(true),
        /** Values for Sigma `|expand` placeholders: `{ Admins: ['adm-*'] }`. */
        placeholders: z.record(z.string(), z.array(z.string())).default({}),
        /** Reload rules when a file under a rule directory changes. */
        hotReload: z.boolean().default(true),
        batchSize: z.number().int().min(1).max(100_000).default(2000),
        /** Run the web-transaction analyser over web events besides the rules. */
        webAnalysis: z.boolean().default(true),
        /** Run detection on its own thread (off: in the main thread, e.g. for tests). */
        thread: z.boolean().default(true),
        /**
         * Behavioural analysis (brute force, stuffing, enumeration, scanning, rate and error
         * anomalies against seasonal baselines, large responses, new admin pages and countries per
         * account). Besides `enabled`, any option of analyze/behaviour/options.ts by name, e.g.
         * `utcOffsetMinutes: 420`, `bruteForceFailures: 20`; they are checked when detection starts.
         */
        behaviour: z.object({ enabled: z.boolean().default(true) }).catchall(z.number()).default({}),
      })
      .strict()
      .default({}),
    warn: z
      .object({
        /** Alerts group into incidents (warn/incident-grouper) as detection stores them. */
        incidents: z
          .object({
            enabled: z.boolean().default(true),
            /** An open incident takes alerts with the same key for this long after its last one. */
            windowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
            /** Alerts below this severity open no incident (they still join an open one). */
            minSeverity: z.enum(['informational', 'low', 'medium', 'high', 'critical']).default('low'),
            /** TLP of a new incident. */
            tlp: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).default('amber'),
          })
          .strict()
          .default({}),
        /** Campaigns across organisations (warn/campaigns) and the early warnings they give. */
        campaigns: z
          .object({
            enabled: z.boolean().default(true),
            /** Organisations that must have seen the same key within the window. */
            minOrgs: z.number().int().min(2).max(1000).default(2),
            windowHours: z.number().min(1).max(24 * 90).default(24),
            /** `confirm`: the centre's analysts confirm each campaign; `auto`: warn at once. */
            policy: z.enum(['confirm', 'auto']).default('confirm'),
            keys: z.array(z.enum(['indicator', 'source', 'payload', 'rule'])).min(1).default(['indicator', 'source', 'payload', 'rule']),
            /** Who a campaign may reach next: the hit organisations' sector, region, or software. */
            targetBy: z.array(z.enum(['sector', 'region', 'software'])).default(['sector', 'region', 'software']),
            ackWithinHours: z.number().positive().max(24 * 365).default(24),
            remediateWithinHours: z.number().positive().max(24 * 365).default(72),
            warningTlp: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).default('amber'),
            publishTlp: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).default('amber'),
          })
          .strict()
          .default({}),
        /** Overdue acknowledgements and remediations escalate: at the deadline to the parent, one step later to the centre. */
        escalation: z
          .object({
            stepMinutes: z.number().positive().max(60 * 24 * 30).default(24 * 60),
            /** How often overdue items are looked for. */
            checkSeconds: z.number().positive().max(3600).default(60),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    intel: z
      .object({
        /** Match events against the indicator store in the detection pipeline. */
        enabled: z.boolean().default(true),
        /** New indicators are also matched against the stored events of this many past days. */
        retroDays: z.number().int().min(0).max(365).default(30),
        /** Feeds managed over the API (api/intel-feeds.ts). */
        feeds: z
          .object({
            /** Let them read private, loopback and link-local hosts (internal MISP or TAXII servers). */
            allowPrivateNetworks: z.boolean().default(false),
          })
          .strict()
          .default({}),
        /** Alliance members' and other centres' TAXII 2.1 collections, polled incrementally. */
        taxii: z
          .object({
            feeds: z
              .array(
                z
                  .object({
                    /** Unique; names the source (`taxii:<id>`) and the saved `added_after`. */
                    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
                    /** The API root, e.g. `https://cti.alliance.example/taxii2/api/`. */
                    url: z.string().url(),
                    collectionId: z.string().min(1),
                    /** Environment variable holding the bearer token: never the token itself in the file. */
                    tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
                    everyMinutes: z.number().min(1).default(15),
                    /** Code (or id) of the organisation that owns what this feed brings. */
                    ownerOrg: z.string().min(1),
                    tlpDefault: z.enum(['clear', 'green', 'amber', 'amber+strict', 'red']).default('amber'),
                  })
                  .strict(),
              )
              .default([]),
          })
          .strict()
          .default({}),
        warningLists: z
          .object({
            /** Built-in lists to use (default: all but `documentation`). */
            builtin: z.array(z.string()).optional(),
            /** Your own: the government's ranges and domains, partners' scanners … */
            lists: z
              .array(
                z
                  .object({
                    name: z.string(),
                    description: z.string().default(''),
                    ranges: z.array(z.string()).optional(),
                    domains: z.array(z.string()).optional(),
                    values: z.array(z.string()).optional(),
                  })
                  .strict(),
              )
              .default([]),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({}),
    /** Delivery of notifications (warn/delivery-*): e-mail, signed webhooks, digests, the live stream. */
    delivery: z
      .object({
        /** Run the delivery worker (off: notifications are only queued). */
        enabled: z.boolean().default(true),
        /** The dashboard's public address, e.g. `https://vigil.gov.vn`: links in e-mails are made absolute against it. */
        dashboardUrl: z.string().url().optional(),
        smtp: z
          .object({
            /** No host: e-mail deliveries wait, pending, saying so; nothing else is affected. */
            host: z.string().min(1).optional(),
            port: port.default(587),
            /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
            secure: z.boolean().default(false),
            user: z.string().min(1).optional(),
            /** Environment variable holding the SMTP password: never the password itself in the file. */
            passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
            from: z.string().min(3).default('Vigil <vigil@localhost>'),
            timeoutMs: z.number().int().min(100).default(30_000),
          })
          .strict()
          .default({}),
        webhooks: z
          .object({
            timeoutMs: z.number().int().min(100).default(10_000),
            /** Let webhook URLs point at private, loopback and other special-purpose addresses. */
            allowPrivateNetworks: z.boolean().default(false),
            /** Accept http:// webhook URLs (warnings carry TLP:AMBER text; https is the default rule). */
            allowPlainHttp: z.boolean().default(false),
          })
          .strict()
          .default({}),
        /** Backoff between attempts: first delay, doubling up to the maximum, minus up to `jitter` of it at random. */
        retry: z
          .object({
            firstDelaySeconds: z.number().min(0.001).default(30),
            maxDelaySeconds: z.number().min(0.001).default(3600),
            jitter: z.number().min(0).max(1).default(0.2),
          })
          .strict()
          .default({}),
        /** Informational and low notifications for e-mail contacts with `digest` on go out once per interval. */
        digestMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
        /** How often the worker looks for due deliveries. */
        pollMs: z.number().int().min(10).default(5000),
        /** Deliveries sent at once, at most. */
        concurrency: z.number().int().min(1).max(64).default(8),
        /** Comment lines on the live stream that keep proxies from closing it. */
        streamHeartbeatSeconds: z.number().min(1).default(25),
      })
      .strict()
      .superRefine((value, ctx) => {
        if (value.smtp.user !== undefined && value.smtp.passwordEnv === undefined) {
          ctx.addIssue({ code: 'custom', path: ['smtp', 'passwordEnv'], message: 'smtp.user needs passwordEnv (the environment variable holding the password)' });
        }
      })
      .default({}),
    auth: z
      .object({
        sessionTtlHours: z.number().min(0.1).default(12),
      })
      .strict()
      .default({}),
    demo: z
      .object({
        /** auto: demo mode when started without a configuration file. */
        enabled: z.union([z.boolean(), z.literal('auto')]).default('auto'),
        eventsPerSecond: z.number().min(0).default(200),
        hostileShare: z.number().min(0).max(1).default(0.03),
      })
      .strict()
      .default({}),
  })
  .strict();

export type VigilConfig = z.infer<typeof configSchema>;

export interface LoadedConfig {
  config: Readonly<VigilConfig>;
  /** The file read, or null when running on defaults. */
  file: string | null;
  /** True when demo mode is on (explicitly, or `auto` without a file). */
  demo: boolean;
}

export interface LoadConfigOptions {
  /** Path from `--config`; otherwise `VIGIL_CONFIG`; otherwise `./vigil.yaml` when it exists. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text to parse instead of reading `path` (tests). */
  text?: string;
}

type Problem = { path: string; message: string; line?: number; column?: number };

export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let file: string | null = options.path ?? env['VIGIL_CONFIG'] ?? null;
  let text = options.text;
  if (text === undefined && file === null) {
    try {
      text = readFileSync(resolve(cwd, 'vigil.yaml'), 'utf8');
      file = 'vigil.yaml';
    } catch {
      text = undefined;
    }
  } else if (text === undefined && file !== null) {
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new ConfigError([{ path: '(file)', message: `cannot read: ${(error as Error).message}` }], file);
    }
  }

  const lineCounter = new LineCounter();
  const doc = text === undefined ? null : parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: Problem[] = [];
  for (const error of doc?.errors ?? []) {
    const pos = lineCounter.linePos(error.pos[0]);
    problems.push({ path: '(yaml)', message: error.message.split('\n')[0] ?? error.message, line: pos.line, column: pos.col });
  }
  if (problems.length > 0) throw new ConfigError(problems, file ?? undefined);

  const raw: unknown = doc ? (doc.toJS() ?? {}) : {};
  if (doc && doc.contents !== null && !isMap(doc.contents)) {
    throw new ConfigError([{ path: '(root)', message: 'must be a mapping of sections', line: 1, column: 1 }], file ?? undefined);
  }
  const merged = applyEnvOverrides(raw as Record<string, unknown>, env, problems);

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      // An unknown key is reported at the key itself, not at the section that holds it.
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      for (const key of keys) {
        const path = key === undefined ? issue.path : [...issue.path, key];
        const located = key === undefined ? locate(doc, lineCounter, path) : locateKey(doc, lineCounter, issue.path, key);
        const message = key === undefined ? issue.message : `unknown setting ${key}`;
        problems.push({ path: path.join('.') || '(root)', message, ...located });
      }
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems, file ?? undefined);

  const config = result.data;
  config.dataDir = isAbsolute(config.dataDir) ? config.dataDir : resolve(cwd, config.dataDir);
  const demo = config.demo.enabled === 'auto' ? file === null : config.demo.enabled;
  return { config: deepFreeze(config), file, demo };
}

/** `VIGIL_A__B=value` sets `a.b` (keys are camelCase in the file; env names are case-insensitive). */
function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, problems: Problem[]): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('VIGIL_') || name === 'VIGIL_CONFIG' || value === undefined) continue;
    const segments = name.slice('VIGIL_'.length).split('__').map(envKeyToConfigKey);
    if (segments.some((s) => s === '')) continue;
    let target: Record<string, unknown> = out;
    for (const segment of segments.slice(0, -1)) {
      const next = target[segment];
      if (next === undefined) target[segment] = {};
      else if (typeof next !== 'object' || next === null) {
        problems.push({ path: segments.join('.'), message: `${name} overrides a value that is not a section` });
        target = {};
        continue;
      }
      target = target[segment] as Record<string, unknown>;
    }
    target[segments[segments.length - 1] as string] = parseYamlValue(value);
  }
  return out;
}

/** DATA_DIR → dataDir, RATE_PER_SECOND → ratePerSecond. */
function envKeyToConfigKey(key: string): string {
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function locate(doc: ReturnType<typeof parseDocument> | null, lineCounter: LineCounter, path: (string | number)[]): { line?: number; column?: number } {
  if (!doc) return {};
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

/** The position of a key itself (not its value) inside the mapping at `path`. */
function locateKey(doc: ReturnType<typeof parseDocument> | null, lineCounter: LineCounter, path: (string | number)[], key: string): { line?: number; column?: number } {
  const map = !doc ? null : path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      const node = pair.key as { value?: unknown; range?: [number, number, number] } | null;
      if (node && node.value === key && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
  }
  return locate(doc, lineCounter, [...path, key]);
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
