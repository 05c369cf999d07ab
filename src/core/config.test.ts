import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig({ text, path: 'vigil.yaml', env, cwd: '/srv/vigil' });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.line ?? '-'}:${p.column ?? '-'} ${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills defaults and resolves the data directory against the working directory', () => {
    const { config, demo, file } = loadConfig({ text: 'server:\n  port: 9090\n', path: 'vigil.yaml', env: {}, cwd: '/srv/vigil' });
    expect(config.server.port).toBe(9090);
    expect(config.dataDir).toBe('/srv/vigil/data');
    expect(config.store.synchronous).toBe('full');
    expect(file).toBe('vigil.yaml');
    expect(demo).toBe(false);
  });

  it('runs in demo mode without a file', () => {
    const loaded = loadConfig({ env: {}, cwd: '/nonexistent-dir-for-vigil-tests' });
    expect(loaded.file).toBeNull();
    expect(loaded.demo).toBe(true);
  });

  it('is frozen', () => {
    const { config } = loadConfig({ text: '{}', path: 'vigil.yaml', env: {} });
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('applies environment overrides, parsed as YAML scalars', () => {
    const { config } = loadConfig({
      text: 'server:\n  port: 9090\n',
      path: 'vigil.yaml',
      env: { VIGIL_SERVER__PORT: '7000', VIGIL_DATA_DIR: '/var/lib/vigil', VIGIL_INGEST__RATE_PER_SECOND: '500', VIGIL_SYSLOG__UDP__ENABLED: 'true' },
    });
    expect(config.server.port).toBe(7000);
    expect(config.dataDir).toBe('/var/lib/vigil');
    expect(config.ingest.ratePerSecond).toBe(500);
    expect(config.syslog.udp.enabled).toBe(true);
  });

  it('reports every problem together, each at its line and column', () => {
    const text = ['server:', '  port: 70000', '  colour: blue', 'store:', '  retentionDays: 0', 'ingest:', "  defaultTimezone: 'Asia/Ho_Chi_Minh'", 'syslog:', '  tls:', '    enabled: true'].join('\n');
    expect(problemsOf(text)).toEqual([
      '2:9 server.port: Number must be less than or equal to 65535',
      '3:3 server.colour: unknown setting colour',
      '5:18 store.retentionDays: Number must be greater than or equal to 1',
      '7:20 ingest.defaultTimezone: must be Z or an offset like +07:00',
      '10:5 syslog.tls: tls.enabled needs cert and key (PEM file paths)',
    ]);
  });

  it.each<[string, string, RegExp, NodeJS.ProcessEnv?]>([
    ['a YAML syntax error', 'server:\n  port: [1, 2\n', /^\d+:\d+ \(yaml\)/],
    ['a root that is not a mapping', '- a\n- b\n', /\(root\): must be a mapping/],
    ['a wrong type', 'server:\n  port: eighty\n', /server\.port: Expected number, received string/],
    ['an environment override of the wrong type', '{}', /server\.port: Expected number/, { VIGIL_SERVER__PORT: 'abc' }],
  ])('rejects %s', (_name, text, expected, env = {}) => {
    const problems = problemsOf(text, env);
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it('names the file in the error message', () => {
    expect(() => loadConfig({ path: '/nonexistent/vigil.yaml', env: {} })).toThrow(/\/nonexistent\/vigil\.yaml.*cannot read/);
  });
});
