/**
 * Real receivers for the delivery tests: an SMTP server (the `smtp-server` package) that keeps
 * every message with its envelope and decodes what a reader would see (subject, plain text, HTML),
 * and an HTTP server that answers as a test tells it to. No channel is mocked.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: string;
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) to text. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')));
}

function decodeQuotedPrintable(text: string): string {
  const flat = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < flat.length; i++) {
    const hex = flat.slice(i + 1, i + 3);
    if (flat[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(flat[i] as string, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function splitHeaders(part: string): { headers: string; body: string } {
  const at = part.indexOf('\r\n\r\n');
  return at < 0 ? { headers: part, body: '' } : { headers: part.slice(0, at).replace(/\r\n[ \t]+/g, ' '), body: part.slice(at + 4) };
}

function header(headers: string, name: string): string {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers);
  return match?.[1]?.trim() ?? '';
}

function decodeBody(headers: string, body: string): string {
  const encoding = header(headers, 'Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const top = splitHeaders(raw);
  const parts: { headers: string; body: string }[] = [];
  const boundary = /boundary="?([^";]+)"?/i.exec(header(top.headers, 'Content-Type'))?.[1];
  if (boundary === undefined) parts.push(top);
  else for (const chunk of top.body.split(`--${boundary}`).slice(1)) if (!chunk.startsWith('--')) parts.push(splitHeaders(chunk.replace(/^\r\n/, '')));
  const find = (type: string) => {
    const part = parts.find((p) => header(p.headers, 'Content-Type').toLowerCase().startsWith(type));
    return part === undefined ? '' : decodeBody(part.headers, part.body).replace(/\r\n/g, '\n');
  };
  return { from, to, subject: decodeWords(header(top.headers, 'Subject')), text: find('text/plain'), html: find('text/html'), headers: top.headers };
}

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** Recipients answered with 550 at RCPT TO. */
  rejected: Set<string>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const rejected = new Set<string>();
  const server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address)) {
        callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), from, session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, rejected, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** How the next requests are answered: an HTTP status, `drop` to cut the connection, `hang` never to answer. */
  answer: number | 'drop' | 'hang';
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = { url: '', requests: [], answer: 204, close: async () => {} };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = receiver.answer;
      receiver.requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), status: typeof answer === 'number' ? answer : 0 });
      if (answer === 'hang') return;
      if (answer === 'drop') request.socket.destroy();
      else response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? '' : `answer ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/vigil`;
  receiver.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return receiver;
}
