/**
 * @module ingest/syslog/stream
 * Syslog over TCP (RFC 6587) and over TLS (RFC 5425). Each connection gets its own framer
 * (framing is detected per connection, RFC 6587 §3.4), its own `StreamState` and its own batch.
 *
 * Who the sender is decides whether the connection is kept:
 * - TCP: the source address, matched against `syslogSources` (RFC 6587 §5: plain TCP proves
 *   nothing more than the address).
 * - TLS: the client certificate, verified against `ca` (RFC 5425 §5.2, certificate-based
 *   authentication), matched by subject CN or SHA-256 fingerprint against `tlsClientIds`. When
 *   client certificates are not required, a client without a matching *verified* certificate
 *   falls back to its source address; an unverified certificate is never trusted for its CN.
 * An unknown sender's connection is closed before anything it sent is read.
 */
import type { Server, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createServer as createTlsServer } from 'node:tls';
import type { Sensor } from '../../core/model.js';
import type { BatchOrigin } from './batcher.js';
import type { ListenerContext } from './context.js';
import { formatPeer, logLimited, plainAddress, reportUnknownSource } from './context.js';
import { SyslogFramer } from './framing.js';
import { statsOf } from './stats.js';
import type { SyslogTransport } from './stats.js';

export interface StreamListener {
  port: number;
  /** Stops accepting, flushes and closes every connection, then resolves. */
  close(): Promise<void>;
}

export interface TlsListenerOptions {
  host: string;
  port: number;
  cert: string | Buffer;
  key: string | Buffer;
  ca?: string | Buffer;
  requireClientCert: boolean;
}

/** TCP keep-alive probes find peers that vanished without a FIN (syslog connections idle long). */
const KEEPALIVE_MS = 60_000;

export async function startTcpListener(ctx: ListenerContext, host: string, port: number): Promise<StreamListener> {
  const server = createTcpServer();
  const connections = new ConnectionSet();
  server.on('connection', (socket: Socket) => {
    const address = plainAddress(socket.remoteAddress);
    const sensor = resolve(ctx, 'syslog-tcp', (r) => r.bySourceAddress(address));
    if (sensor === null) {
      reportUnknownSource(ctx, 'syslog-tcp', address);
      socket.destroy();
      return;
    }
    serveConnection(ctx, connections, socket, 'syslog-tcp', sensor, address);
  });
  return listen(ctx, server, connections, host, port, 'syslog-tcp');
}

export async function startTlsListener(ctx: ListenerContext, options: TlsListenerOptions): Promise<StreamListener> {
  const server = createTlsServer({
    cert: options.cert,
    key: options.key,
    ca: options.ca,
    requestCert: true,
    rejectUnauthorized: options.requireClientCert,
  });
  const connections = new ConnectionSet();
  // Raw sockets still in the handshake are not in `connections`; close() must end them too.
  server.on('connection', (raw: Socket) => connections.trackRaw(raw));
  server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
    ctx.stats.tls.handshakeFailures++;
    const address = plainAddress(socket.remoteAddress);
    logLimited(ctx, `handshake:${address}`, 'syslog: TLS handshake failed', { transport: 'syslog-tls', peer: address, error: error.message });
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const address = plainAddress(socket.remoteAddress);
    const certificate = socket.authorized ? socket.getPeerCertificate() : null;
    let sensor = certificate ? resolve(ctx, 'syslog-tls', (r) => r.byTlsClient(certificate)) : null;
    if (sensor === null && !options.requireClientCert) sensor = resolve(ctx, 'syslog-tls', (r) => r.bySourceAddress(address));
    if (sensor === null) {
      const clientName: unknown = certificate?.subject?.CN;
      reportUnknownSource(ctx, 'syslog-tls', address, {
        certificate: certificate ? { cn: clientName, fingerprint256: certificate.fingerprint256 } : socket.authorizationError ? String(socket.authorizationError) : 'none',
      });
      socket.destroy();
      return;
    }
    serveConnection(ctx, connections, socket, 'syslog-tls', sensor, address);
  });
  return listen(ctx, server, connections, options.host, options.port, 'syslog-tls');
}

interface Connection {
  socket: Socket;
  /** Hands the framer's last message and the connection's batch to the sink; idempotent. */
  finish(): void;
}

class ConnectionSet {
  readonly served = new Set<Connection>();
  private readonly raw = new Set<Socket>();

  trackRaw(socket: Socket): void {
    this.raw.add(socket);
    socket.once('close', () => this.raw.delete(socket));
  }

  closeAll(): void {
    for (const connection of [...this.served]) {
      connection.finish();
      connection.socket.destroy();
    }
    for (const socket of [...this.raw]) socket.destroy();
  }
}

let nextConnectionId = 0;

function serveConnection(ctx: ListenerContext, connections: ConnectionSet, socket: Socket, transport: SyslogTransport, sensor: Sensor, address: string): void {
  const counters = statsOf(ctx.stats, transport);
  const framer = new SyslogFramer(ctx.maxMessageBytes);
  const key = `${transport}\u0000${++nextConnectionId}`;
  const peer = formatPeer(address, socket.remotePort);
  const origin: BatchOrigin = { sensor, transport, peer, stream: {}, onSensorGone: () => socket.destroy() };
  let oversizeSeen = 0;
  let invalidSeen = 0;

  const take = (messages: string[]): void => {
    counters.received += messages.length;
    for (const message of messages) ctx.batcher.add(key, origin, message);
    if (framer.oversizeFrames !== oversizeSeen) {
      const count = framer.oversizeFrames - oversizeSeen;
      oversizeSeen = framer.oversizeFrames;
      counters.received += count;
      counters.dropped += count;
      counters.oversize += count;
      logLimited(ctx, `oversize:${transport}:${address}`, 'syslog: message over the size limit dropped', { transport, peer, sensorId: sensor.id, limit: ctx.maxMessageBytes });
    }
    if (framer.invalidFrames !== invalidSeen) {
      counters.invalidFrames += framer.invalidFrames - invalidSeen;
      invalidSeen = framer.invalidFrames;
      logLimited(ctx, `invalid:${transport}:${address}`, 'syslog: invalid octet-counted frame', { transport, peer, sensorId: sensor.id, framing: framer.framing });
    }
  };

  const connection: Connection = {
    socket,
    finish: () => {
      if (!connections.served.delete(connection)) return;
      counters.connections--;
      take(framer.end());
      ctx.batcher.flush(key);
    },
  };
  connections.served.add(connection);
  counters.connections++;
  socket.setKeepAlive(true, KEEPALIVE_MS);
  socket.on('data', (chunk: Buffer) => take(framer.push(chunk)));
  socket.on('error', (error: Error) => logLimited(ctx, `socket:${transport}:${address}`, 'syslog: connection error', { transport, peer, error: error.message }));
  socket.on('close', connection.finish);
}

function resolve(ctx: ListenerContext, transport: SyslogTransport, find: (resolver: ReturnType<ListenerContext['resolveSensors']>) => Sensor | null): Sensor | null {
  try {
    return find(ctx.resolveSensors());
  } catch (error) {
    logLimited(ctx, `resolve:${transport}`, 'syslog: resolving sensors failed', { transport, error: String(error) });
    return null;
  }
}

async function listen(ctx: ListenerContext, server: Server, connections: ConnectionSet, host: string, port: number, transport: SyslogTransport): Promise<StreamListener> {
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen({ host, port }, () => {
      server.off('error', fail);
      done();
    });
  });
  server.on('error', (error: Error) => ctx.log('syslog: server error', { transport, error: error.message }));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      connections.closeAll();
      await closed;
    },
  };
}
