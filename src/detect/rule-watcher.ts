/**
 * @module detect/rule-watcher
 * Loads the rule directories into the detection service, and loads them again when a file under
 * them changes (debounced). A reload that leaves files refused still swaps in what did load; the
 * refused files are reported by the rules API and logged.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRulePaths, type LoadRuleOptions } from './rule-loader.js';
import type { RuleSink } from './rule-set.js';

/** The built-in pack: `rules/` at the package root (the same from `src/` and from `dist/src/`). */
export function builtinRulesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return join(dir, 'rules');
    dir = dirname(dir);
  }
  throw new Error('the built-in rules/ directory was not found above the program');
}

export class RuleWatcher {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dirs: readonly string[],
    private readonly sink: RuleSink,
    private readonly options: LoadRuleOptions & { log: (message: string) => void },
  ) {}

  async load(): Promise<void> {
    const { ruleSet, files } = await loadRulePaths(this.dirs, this.options);
    for (const file of files) if (!file.ok) this.options.log(`rules: refused ${file.file}: ${file.error ?? ''}`);
    this.sink.setRules(ruleSet);
    this.options.log(`rules: ${ruleSet.rules.length} detection rules and ${ruleSet.correlations.length} correlations from ${files.filter((f) => f.ok).length} files`);
  }

  /** Reloads 500 ms after the last change under any rule directory. */
  watch(): void {
    for (const dir of this.dirs) {
      try {
        this.watchers.push(watch(dir, { recursive: true }, () => this.changed()));
      } catch (error) {
        this.options.log(`rules: cannot watch ${dir}: ${String(error)}`);
      }
    }
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.load().catch((error: unknown) => this.options.log(`rules: reload failed: ${String(error)}`));
    }, 500);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }
}
