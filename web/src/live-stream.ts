/**
 * @module web/live-stream
 * The live stream (`GET /api/v1/stream`, text/event-stream, src/api/stream.ts) read with `fetch()`:
 * the stream authenticates with the same `Authorization: Bearer` header as every route and never
 * takes the token in the URL, which `EventSource` would need. The parser follows the WHATWG HTML
 * event-stream format (§9.2.6): `field: value` lines, a blank line ends an event, `:` starts a
 * comment; the stream is re-opened after the server's `retry` delay when it ends.
 */

export interface StreamMessage {
  event: string;
  id: string;
  data: string;
}

/** Incremental parser: feed it chunks of text, it hands back whole events. */
export class EventStreamParser {
  private buffer = '';
  private event = '';
  private id = '';
  private data: string[] = [];
  retryMs: number | null = null;

  push(chunk: string): StreamMessage[] {
    this.buffer += chunk;
    const out: StreamMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event || 'message', id: this.id, data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
      else if (field === 'id') this.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return out;
  }
}

/** Reads the stream until `signal` aborts, reconnecting after a drop; `onMessage` gets each event. */
export function openLiveStream(headers: Record<string, string>, onMessage: (message: StreamMessage) => void, signal: AbortSignal, onState?: (live: boolean) => void): void {
  const run = async (): Promise<void> => {
    let retryMs = 5000;
    while (!signal.aborted) {
      const parser = new EventStreamParser();
      try {
        const response = await fetch('/api/v1/stream', { headers: { ...headers, accept: 'text/event-stream' }, signal });
        if (response.status === 401 || response.status === 403) return;
        if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
        onState?.(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) onMessage(message);
        }
      } catch {
        if (signal.aborted) return;
      }
      onState?.(false);
      retryMs = parser.retryMs ?? retryMs;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();
}
