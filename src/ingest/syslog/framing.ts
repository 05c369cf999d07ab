/**
 * @module ingest/syslog/framing
 * Splits a syslog byte stream (TCP, TLS) into messages. RFC 6587 §3.4 defines two framings and
 * a receiver cannot be told which one a sender uses, so it is detected per connection from the
 * first byte (leading LF/CR/NUL skipped): a digit 1-9 starts an octet count (§3.4.1,
 * `MSG-LEN SP SYSLOG-MSG`, `MSG-LEN = NONZERO-DIGIT *DIGIT`; RFC 5425 §4.3 makes it the only
 * framing over TLS), anything else is non-transparent framing (§3.4.2) with LF as the trailer;
 * CRLF and NUL are accepted too because rsyslog and syslog-ng send them.
 *
 * Memory stays bounded: a partial frame is copied out of the chunk (never retaining the chunk
 * itself) and never grows past `maxMessageBytes` (+1 for a CR). An oversized LF frame is dropped
 * up to its trailer and the connection continues; an octet-counted frame whose declared length
 * is over the limit is skipped exactly (its length is known, so framing is not lost). A malformed
 * octet-count header cannot be resynchronised, so the connection falls back to LF framing from
 * that byte on, as rsyslog does; on the first frame this is a misdetection (a LF-framed sender
 * whose line starts with a digit) and is not counted as invalid.
 */

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** 9 digits: a declared length up to 999 999 999 bytes; longer headers are invalid. */
const MAX_LENGTH_DIGITS = 9;

export type FramingMode = 'octet-counting' | 'non-transparent';

export class SyslogFramer {
  private mode: FramingMode | null = null;
  /** Bytes of the current partial frame, copied out of the chunks they arrived in. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** Non-transparent: dropping an oversized frame up to its trailer. */
  private discarding = false;
  /** Octet counting: digits of MSG-LEN read so far ('' = between frames). */
  private lengthDigits = '';
  /** Octet counting: bytes of the current SYSLOG-MSG still to read; -1 = reading the header. */
  private remaining = -1;
  /** Octet counting: the current frame's declared length is over the limit; skip its bytes. */
  private skipping = false;
  private framesSeen = 0;
  private oversize = 0;
  private invalid = 0;

  constructor(readonly maxMessageBytes: number) {
    if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1) throw new RangeError(`maxMessageBytes must be a positive integer, got ${maxMessageBytes}`);
  }

  /** Frames dropped for exceeding `maxMessageBytes`. */
  get oversizeFrames(): number {
    return this.oversize;
  }

  /** Malformed octet-count headers after the first frame, and frames cut short by `end()`. */
  get invalidFrames(): number {
    return this.invalid;
  }

  /** The detected framing, or null before the first significant byte. */
  get framing(): FramingMode | null {
    return this.mode;
  }

  /** Bytes held for a frame not yet complete (bounded by `maxMessageBytes` + 1). */
  get pendingBytes(): number {
    return this.partsLength;
  }

  /** Feeds one chunk; returns the messages it completed, decoded as UTF-8. */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    let i = 0;
    if (this.mode === null) {
      while (i < chunk.length && isTrailer(chunk[i] as number)) i++;
      if (i === chunk.length) return out;
      const first = chunk[i] as number;
      this.mode = first > DIGIT_0 && first <= DIGIT_9 ? 'octet-counting' : 'non-transparent';
    }
    if (this.mode === 'octet-counting') this.pushOctetCounted(chunk, i, out);
    else this.pushNonTransparent(chunk, i, out);
    return out;
  }

  /** The connection ended: returns a last LF-framed message that had no trailer, if any. */
  end(): string[] {
    const out: string[] = [];
    if (this.mode === 'non-transparent') {
      if (!this.discarding && this.partsLength > 0) this.emitNonTransparent(Buffer.alloc(0), 0, 0, out);
    } else if (this.mode === 'octet-counting') {
      // A frame cut short (header or body) cannot be trusted: RFC 6587 §3.4.1 gives its length.
      if (this.lengthDigits !== '' || (this.remaining > 0 && !this.skipping)) this.invalid++;
    }
    this.parts = [];
    this.partsLength = 0;
    this.discarding = false;
    this.lengthDigits = '';
    this.remaining = -1;
    this.skipping = false;
    return out;
  }

  private pushNonTransparent(chunk: Buffer, start: number, out: string[]): void {
    let i = start;
    let nextLf = -2;
    let nextNul = -2;
    while (i < chunk.length) {
      // Cached positions of the next LF and NUL: each is searched once per pass over the chunk.
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      if (nextNul !== -1 && nextNul < i) nextNul = chunk.indexOf(NUL, i);
      const end = nextLf === -1 ? nextNul : nextNul === -1 ? nextLf : Math.min(nextLf, nextNul);
      if (end === -1) {
        this.retain(chunk, i, chunk.length);
        return;
      }
      if (this.discarding) this.discarding = false;
      else this.emitNonTransparent(chunk, i, end, out);
      this.parts = [];
      this.partsLength = 0;
      i = end + 1;
    }
  }

  private retain(chunk: Buffer, from: number, to: number): void {
    if (this.discarding || from === to) return;
    // +1: a CR before the LF is not part of the message.
    if (this.partsLength + (to - from) > this.maxMessageBytes + 1) {
      this.oversize++;
      this.discarding = true;
      this.parts = [];
      this.partsLength = 0;
      return;
    }
    this.parts.push(Buffer.from(chunk.subarray(from, to)));
    this.partsLength += to - from;
  }

  private emitNonTransparent(chunk: Buffer, from: number, to: number, out: string[]): void {
    const frame = this.parts.length === 0 ? chunk.subarray(from, to) : Buffer.concat([...this.parts, chunk.subarray(from, to)]);
    const length = frame.length > 0 && frame[frame.length - 1] === CR ? frame.length - 1 : frame.length;
    if (length === 0) return;
    if (length > this.maxMessageBytes) {
      this.oversize++;
      return;
    }
    this.framesSeen++;
    out.push(frame.toString('utf8', 0, length));
  }

  private pushOctetCounted(chunk: Buffer, start: number, out: string[]): void {
    let i = start;
    while (i < chunk.length) {
      if (this.remaining < 0) {
        const byte = chunk[i] as number;
        if (this.lengthDigits === '' && isTrailer(byte)) {
          // Tolerated between frames: senders that count the message without its trailing LF.
          i++;
        } else if (byte >= DIGIT_0 && byte <= DIGIT_9 && !(byte === DIGIT_0 && this.lengthDigits === '') && this.lengthDigits.length < MAX_LENGTH_DIGITS) {
          this.lengthDigits += String.fromCharCode(byte);
          i++;
        } else if (byte === SP && this.lengthDigits !== '') {
          const declared = Number(this.lengthDigits);
          this.lengthDigits = '';
          this.remaining = declared;
          this.skipping = declared > this.maxMessageBytes;
          if (this.skipping) this.oversize++;
          i++;
        } else {
          this.fallBackToNonTransparent(chunk, i, out);
          return;
        }
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - i);
      if (!this.skipping) {
        if (take === this.remaining && this.parts.length === 0) this.emitOctetCounted(chunk.subarray(i, i + take), out);
        else {
          this.parts.push(Buffer.from(chunk.subarray(i, i + take)));
          this.partsLength += take;
          if (take === this.remaining) this.emitOctetCounted(Buffer.concat(this.parts), out);
        }
      }
      this.remaining -= take;
      i += take;
      if (this.remaining === 0) {
        this.remaining = -1;
        this.skipping = false;
        this.parts = [];
        this.partsLength = 0;
      }
    }
  }

  private emitOctetCounted(frame: Buffer, out: string[]): void {
    let length = frame.length;
    while (length > 0 && isTrailer(frame[length - 1] as number)) length--;
    this.framesSeen++;
    if (length > 0) out.push(frame.toString('utf8', 0, length));
  }

  /** A malformed MSG-LEN: what was read as a header becomes the start of a LF-framed message. */
  private fallBackToNonTransparent(chunk: Buffer, at: number, out: string[]): void {
    if (this.framesSeen > 0) this.invalid++;
    this.mode = 'non-transparent';
    const header = this.lengthDigits;
    this.lengthDigits = '';
    this.remaining = -1;
    if (header !== '') {
      this.parts = [Buffer.from(header, 'latin1')];
      this.partsLength = header.length;
    }
    this.pushNonTransparent(chunk, at, out);
  }
}

function isTrailer(byte: number): boolean {
  return byte === LF || byte === CR || byte === NUL;
}
