/**
 * @module bus/bus
 * The message bus between stages. The embedded centre uses the in-process `memory/` bus; a NATS
 * JetStream adapter implements the same interface for scale-out. Messages are batches, never
 * single events.
 */

export interface BusTopics {
  /** A batch was committed to the store: consumers (detection, live stream) read it by `seq`. */
  'events.stored': { orgId: string; sensorId: string; firstSeq: number; lastSeq: number; count: number };
}

export type Topic = keyof BusTopics;
export type Handler<T extends Topic> = (message: BusTopics[T]) => void | Promise<void>;

export interface Bus {
  publish<T extends Topic>(topic: T, message: BusTopics[T]): Promise<void>;
  /** Returns a function that removes the subscription. */
  subscribe<T extends Topic>(topic: T, handler: Handler<T>): () => void;
  close(): Promise<void>;
}
