/**
 * @module ingest/syslog/udp
 * Syslog over UDP (RFC 5426). One datagram is one message (§3.1), so there is no framing; a
 * trailing LF, CR or NUL that many senders append is trimmed. UDP source addresses can be
 * spoofed (§6.3): the source only says which sensor the sender claims to be, which is why TLS
 * with client certificates is the recommended transport. A datagram from an address no enabled
 * sensor lists is dropped; one over `maxMessageBytes` too (§3.2 lets a receiver truncate or
 * drop; a truncated event would mislead detection, so it is dropped).
 */
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Sensor } from '../../core/model.js';
import type { BatchOrigin } from './batcher.js';
import type { ListenerContext } from './context.js';
import { logLimited, plainAddress, reportUnknownSource } from './context.js';

export interface UdpListener {
  port: number;
  close(): Promise<void>;
}

/** Origins are reused while a sensor and address keep sending, so a batch shares one object. */
const ORIGIN_CACHE_LIMIT = 10_000;

export async function startUdpListener(ctx: ListenerContext, host: string, port: number): Promise<UdpListener> {
  const socket: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  const counters = ctx.stats.udp;
  const origins = new Map<string, BatchOrigin>();

  socket.on('message', (datagram: Buffer, rinfo: RemoteInfo) => {
    counters.received++;
    const address = plainAddress(rinfo.address);
    let sensor: Sensor | null;
    try {
      sensor = ctx.resolveSensors().bySourceAddress(address);
    } catch (error) {
      counters.dropped++;
      logLimited(ctx, 'resolve:syslog-udp', 'syslog: resolving sensors failed', { error: String(error) });
      return;
    }
    if (sensor === null) {
      counters.dropped++;
      reportUnknownSource(ctx, 'syslog-udp', address);
      return;
    }
    let end = datagram.length;
    while (end > 0 && isTrailer(datagram[end - 1] as number)) end--;
    if (end > ctx.maxMessageBytes) {
      counters.dropped++;
      counters.oversize++;
      logLimited(ctx, `oversize:syslog-udp:${address}`, 'syslog: datagram over the size limit dropped', { peer: address, bytes: end, limit: ctx.maxMessageBytes });
      return;
    }
    if (end === 0) {
      counters.dropped++;
      return;
    }
    const key = `${sensor.id}\u0000${address}`;
    let origin = origins.get(key);
    if (origin?.sensor !== sensor) {
      if (origins.size >= ORIGIN_CACHE_LIMIT) origins.clear();
      origin = { sensor, transport: 'syslog-udp', peer: address };
      origins.set(key, origin);
    }
    ctx.batcher.add(`udp\u0000${key}`, origin, datagram.toString('utf8', 0, end));
  });
  socket.on('error', (error) => ctx.log('syslog: UDP socket error', { error: error.message }));

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port }, () => {
      socket.off('error', reject);
      resolve();
    });
  });

  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function isTrailer(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x00;
}
