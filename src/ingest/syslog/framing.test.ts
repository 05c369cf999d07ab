import { describe, expect, it } from 'vitest';
import { SyslogFramer } from './framing.js';

function octet(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

/** Feeds `input` in pieces cut at `cuts` (byte offsets) and collects every message. */
function frameWithCuts(input: Buffer, cuts: number[], max = 1024): { messages: string[]; framer: SyslogFramer } {
  const framer = new SyslogFramer(max);
  const messages: string[] = [];
  let previous = 0;
  for (const cut of [...cuts, input.length]) {
    messages.push(...framer.push(input.subarray(previous, cut)));
    previous = cut;
  }
  messages.push(...framer.end());
  return { messages, framer };
}

const samples: { name: string; input: string; expected: string[] }[] = [
  {
    name: 'octet counting (RFC 6587 §3.4.1)',
    input: octet('<34>1 2003-10-11T22:14:15.003Z host su - ID47 - héllo') + octet('<13>second message') + octet('multi\nline'),
    expected: ['<34>1 2003-10-11T22:14:15.003Z host su - ID47 - héllo', '<13>second message', 'multi\nline'],
  },
  {
    name: 'octet counting with a LF between frames',
    input: `${octet('<13>one')}\n${octet('<13>two')}\n`,
    expected: ['<13>one', '<13>two'],
  },
  {
    name: 'LF framing (RFC 6587 §3.4.2)',
    input: '<13>one\n<13>two – ünïcode\n<13>three\n',
    expected: ['<13>one', '<13>two – ünïcode', '<13>three'],
  },
  { name: 'CRLF trailers', input: '<13>one\r\n<13>two\r\n', expected: ['<13>one', '<13>two'] },
  { name: 'NUL trailers', input: '<13>one\0<13>two\0', expected: ['<13>one', '<13>two'] },
  { name: 'empty lines are skipped', input: '\n\n<13>one\n\n\r\n<13>two\n', expected: ['<13>one', '<13>two'] },
  { name: 'last line without trailer is kept at end', input: '<13>one\n<13>two', expected: ['<13>one', '<13>two'] },
  {
    name: 'LF-framed line starting with a digit falls back from octet counting',
    input: '10.0.0.1 - - [10/Oct/2024:13:55:36 +0700] "GET / HTTP/1.1" 200 2326\n10.0.0.2 - - x\n',
    expected: ['10.0.0.1 - - [10/Oct/2024:13:55:36 +0700] "GET / HTTP/1.1" 200 2326', '10.0.0.2 - - x'],
  },
];

describe('SyslogFramer', () => {
  for (const sample of samples) {
    it(`${sample.name}: same messages for every single split point`, () => {
      const input = Buffer.from(sample.input, 'utf8');
      for (let cut = 0; cut <= input.length; cut++) {
        expect(frameWithCuts(input, [cut]).messages, `cut at ${cut}`).toEqual(sample.expected);
      }
    });

    it(`${sample.name}: one byte at a time`, () => {
      const input = Buffer.from(sample.input, 'utf8');
      const cuts = Array.from({ length: input.length }, (_, k) => k);
      const { messages, framer } = frameWithCuts(input, cuts);
      expect(messages).toEqual(sample.expected);
      expect(framer.oversizeFrames).toBe(0);
      expect(framer.invalidFrames).toBe(0);
    });
  }

  it('detects the framing from the first significant byte', () => {
    const octetFramer = new SyslogFramer(100);
    octetFramer.push(Buffer.from('\n5 '));
    expect(octetFramer.framing).toBe('octet-counting');
    const lfFramer = new SyslogFramer(100);
    lfFramer.push(Buffer.from('<13>'));
    expect(lfFramer.framing).toBe('non-transparent');
    const zero = new SyslogFramer(100);
    zero.push(Buffer.from('0 x\n'));
    expect(zero.framing).toBe('non-transparent');
  });

  it('LF framing: drops an oversized frame, reports it and continues', () => {
    const input = Buffer.from(`<13>ok\n${'x'.repeat(50)}\n<13>after\n${'y'.repeat(11)}\n${'z'.repeat(10)}\r\n`);
    for (let cut = 0; cut <= input.length; cut++) {
      const { messages, framer } = frameWithCuts(input, [cut], 10);
      expect(messages, `cut at ${cut}`).toEqual(['<13>ok', '<13>after', 'z'.repeat(10)]);
      expect(framer.oversizeFrames).toBe(2);
    }
  });

  it('LF framing: never holds more than maxMessageBytes + 1 for an endless line', () => {
    const framer = new SyslogFramer(64);
    for (let k = 0; k < 1000; k++) {
      expect(framer.push(Buffer.alloc(100, 0x61))).toEqual([]);
      expect(framer.pendingBytes).toBeLessThanOrEqual(65);
    }
    expect(framer.oversizeFrames).toBe(1);
    expect(framer.push(Buffer.from('tail\n<13>next\n'))).toEqual(['<13>next']);
    expect(framer.oversizeFrames).toBe(1);
  });

  it('octet counting: skips exactly the declared length of an oversized frame', () => {
    const big = 'b'.repeat(40);
    const input = Buffer.from(octet('<13>one') + octet(big) + octet('<13>two'));
    for (let cut = 0; cut <= input.length; cut++) {
      const { messages, framer } = frameWithCuts(input, [cut], 16);
      expect(messages, `cut at ${cut}`).toEqual(['<13>one', '<13>two']);
      expect(framer.oversizeFrames).toBe(1);
      expect(framer.pendingBytes).toBe(0);
    }
  });

  it('octet counting: a frame of exactly maxMessageBytes is accepted', () => {
    const exact = 'e'.repeat(16);
    expect(frameWithCuts(Buffer.from(octet(exact)), [3], 16).messages).toEqual([exact]);
    expect(frameWithCuts(Buffer.from(`${exact}\r\n`), [17], 16).messages).toEqual([exact]);
  });

  it('octet counting: a malformed header after the first frame counts as invalid and falls back to LF', () => {
    const { messages, framer } = frameWithCuts(Buffer.from(`${octet('<13>one')}12x broken\n<13>two\n`), []);
    expect(messages).toEqual(['<13>one', '12x broken', '<13>two']);
    expect(framer.invalidFrames).toBe(1);
    expect(framer.framing).toBe('non-transparent');
  });

  it('octet counting: a header longer than 9 digits is invalid', () => {
    const { messages, framer } = frameWithCuts(Buffer.from(`${octet('<13>one')}1234567890 x\n`), []);
    expect(messages).toEqual(['<13>one', '1234567890 x']);
    expect(framer.invalidFrames).toBe(1);
  });

  it('octet counting: a frame cut short by the end of the connection is invalid and dropped', () => {
    const { messages, framer } = frameWithCuts(Buffer.from(`${octet('<13>one')}20 <13>tru`), []);
    expect(messages).toEqual(['<13>one']);
    expect(framer.invalidFrames).toBe(1);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const input = Buffer.from('<13>ước\n');
    for (let cut = 0; cut <= input.length; cut++) expect(frameWithCuts(input, [cut]).messages).toEqual(['<13>ước']);
  });

  it('rejects a non-positive limit', () => {
    expect(() => new SyslogFramer(0)).toThrow(RangeError);
  });
});
