import type { Duplex } from 'node:stream';

export interface HttpAnswer { status: number; body: string }

/**
 * One HTTP/1.1 GET over an already open channel (an SSH forward to slurmrestd), `Connection: close`,
 * the answer read to the end of the channel. Plain and small on purpose: Node's http client did not
 * read slurmrestd's answers through an ssh2 channel (a parse error on a valid status line).
 */
export function httpGet(channel: Duplex, host: string, path: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      channel.destroy();
      if (error) {
        reject(error);
        return;
      }
      try {
        resolve(parseAnswer(Buffer.concat(chunks)));
      } catch (e) {
        reject(e as Error);
      }
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}${path} within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    channel.on('data', (c: Buffer) => chunks.push(c));
    channel.on('end', () => finish());
    channel.on('close', () => finish());
    channel.on('error', (e: Error) => finish(e));
    const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''];
    channel.write(lines.join('\r\n'));
  });
}

function parseAnswer(raw: Buffer): HttpAnswer {
  const at = raw.indexOf('\r\n\r\n');
  if (at < 0) throw new Error(`not an HTTP answer (${raw.length} bytes, began "${raw.subarray(0, 40).toString('latin1').replace(/\s+/g, ' ')}")`);
  const head = raw.subarray(0, at).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  if (!status) throw new Error(`not an HTTP status line: "${(head[0] ?? '').slice(0, 40)}"`);
  const fields = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  let body = raw.subarray(at + 4);
  if (/chunked/i.test(fields.get('transfer-encoding') ?? '')) body = unchunk(body);
  else if (fields.has('content-length')) body = body.subarray(0, Number(fields.get('content-length')));
  return { status: Number(status[1]), body: body.toString('utf8') };
}

function unchunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(data.subarray(pos, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
