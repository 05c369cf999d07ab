/**
 * @module bus/memory/memory-bus
 * The in-process bus of the embedded centre. Delivery is asynchronous (a microtask after publish)
 * so a slow subscriber never holds up the ingest path; a subscriber's failure is counted and
 * reported to `onError`, never thrown into the publisher.
 */
import type { Bus, BusTopics, Handler, Topic } from '../bus.js';

export class MemoryBus implements Bus {
  private readonly handlers = new Map<Topic, Set<Handler<Topic>>>();
  failures = 0;

  constructor(private readonly onError: (error: unknown, topic: Topic) => void = () => {}) {}

  async publish<T extends Topic>(topic: T, message: BusTopics[T]): Promise<void> {
    const set = this.handlers.get(topic);
    if (!set) return;
    await Promise.resolve();
    for (const handler of set) {
      try {
        await (handler as Handler<T>)(message);
      } catch (error) {
        this.failures++;
        this.onError(error, topic);
      }
    }
  }

  subscribe<T extends Topic>(topic: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler as Handler<Topic>);
    return () => set.delete(handler as Handler<Topic>);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
