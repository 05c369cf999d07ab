import { describe, expect, it } from 'vitest';
import { EventStreamParser } from './live-stream.js';

describe('the event-stream parser', () => {
  it('reads events split anywhere across chunks, skips comments and keeps the retry delay', () => {
    const parser = new EventStreamParser();
    const text = 'retry: 5000\n: connected\n\nid: n1\nevent: notification\ndata: {"a":1}\n\n: heartbeat\n\nid: n2\r\nevent: notification\r\ndata: line one\r\ndata: line two\r\n\r\n';
    const out = [];
    for (let i = 0; i < text.length; i += 7) out.push(...parser.push(text.slice(i, i + 7)));
    expect(out).toEqual([
      { event: 'notification', id: 'n1', data: '{"a":1}' },
      { event: 'notification', id: 'n2', data: 'line one\nline two' },
    ]);
    expect(parser.retryMs).toBe(5000);
  });

  it('names an event without `event:` a message', () => {
    expect(new EventStreamParser().push('data: x\n\n')).toEqual([{ event: 'message', id: '', data: 'x' }]);
  });
});
