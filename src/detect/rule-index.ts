/**
 * @module detect/rule-index
 * Which rules an event is evaluated against: first the rules whose logsource can apply to it
 * (routing), then, among those, the rules whose literal atoms occur in the event (prefilter). A
 * prefilter is built once per distinct routed group and reused for every event of that kind.
 */
import type { EcsEvent } from '../core/event.js';
import { AtomPrefilter, eventText } from './atom-prefilter.js';
import type { CompiledRule } from './sigma/contract.js';
import { LogsourceRouter } from './sigma/fields/routing.js';

export class RuleIndex<T extends { rule: CompiledRule }> {
  private readonly router = new LogsourceRouter<T>();
  private readonly prefilters = new WeakMap<readonly T[], AtomPrefilter<T>>();

  constructor(items: readonly T[]) {
    for (const item of items) this.router.add(item.rule.logsource, item);
  }

  candidates(event: EcsEvent): readonly T[] {
    const routed = this.router.candidates(event);
    if (routed.length === 0) return routed;
    let prefilter = this.prefilters.get(routed);
    if (!prefilter) {
      prefilter = new AtomPrefilter(routed, (item) => item.rule.requiredAtoms);
      this.prefilters.set(routed, prefilter);
    }
    let text: string | undefined;
    return prefilter.select(() => (text ??= eventText(event)));
  }
}
