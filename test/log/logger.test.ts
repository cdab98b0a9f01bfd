import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rotatingFileSink } from '../../src/main/core/log/file-sink';
import { createLogger, type LogSink } from '../../src/main/core/log/logger';
import { recentLog } from '../../src/main/core/log/recent';
import { redact } from '../../src/main/core/log/redact';

const scratch = mkdtempSync(join(tmpdir(), 'bt-test-log-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const TOKEN = '3f9a1c2b7d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6';

describe('redaction', () => {
  it.each([
    [`Jupyter is ready at http://127.0.0.1:8890/lab?token=${TOKEN}`, 'Jupyter is ready at http://127.0.0.1:8890/lab?token=***'],
    [`{"url":"http://127.0.0.1:8890/?foo=1&token=${TOKEN}"}`, '{"url":"http://127.0.0.1:8890/?foo=1&token=***"}'],
    [`env JUPYTER_TOKEN=${TOKEN} PATH=/usr/bin`, 'env JUPYTER_TOKEN=*** PATH=/usr/bin'],
    [`jupyter lab --IdentityProvider.token=${TOKEN} --port 8888`, 'jupyter lab --IdentityProvider.token=*** --port 8888'],
    [`["jupyter","--ServerApp.token=${TOKEN}"]`, '["jupyter","--ServerApp.token=***"]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig', 'Authorization: ***'],
    ['{"authorization":"Basic dXNlcjpwYXNz"}', '{"authorization":"***"}'],
    ['{"username":"ana","password":"hunter2!"}', '{"username":"ana","password":"***"}'],
    ['{"auths":{"127.0.0.1:5001":{"auth":"YW5hOmh1bnRlcjI="}}}', '{"auths":{"127.0.0.1:5001":{"auth":"***"}}}'],
    ['{"message":"Unexpected token, \\"{\\"auth\\":\\"YW5hOmh1bnRlcjI=\\"}\\" is not valid JSON"}', '{"message":"Unexpected token, \\"{\\"auth\\":\\"***\\"}\\" is not valid JSON"}'],
    ['https://ana:hunter2@registry.example/v2/', 'https://ana:***@registry.example/v2/'],
    ['REGISTRY_PASSWORD=hunter2 docker login', 'REGISTRY_PASSWORD=*** docker login'],
    [`[I 10:00:00 ServerApp]     http://127.0.0.1:8888/lab?token=${TOKEN}`, '[I 10:00:00 ServerApp]     http://127.0.0.1:8888/lab?token=***'],
  ])('masks %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary lines alone', () => {
    const line = 'pulled 127.0.0.1:5000/team/analysis@sha256:0123456789abcdef0123456789abcdef in 2 s (3/7 layers)';
    expect(redact(line)).toBe(line);
  });

  it('masks a registered secret wherever it appears', () => {
    expect(redact('password is s3cr3t-value, again s3cr3t-value', ['s3cr3t-value'])).toBe('password is ***, again ***');
  });
});

describe('the logger', () => {
  it('writes levels at or above each sink\'s own, scoped, with errors and fields masked', () => {
    const debug: string[] = [];
    const warn: string[] = [];
    const sinks: LogSink[] = [{ level: 'debug', write: (l) => debug.push(l) }, { level: 'warn', write: (l) => warn.push(l) }];
    const log = createLogger(sinks, 'test 1').child('sessions');
    log.debug('starting', { url: `http://127.0.0.1:1/?token=${TOKEN}` });
    log.info('started');
    expect(log.ignored('removing the helper container', Object.assign(new Error('no such container'), { code: 'ENGINE_ERROR' }))).toBeUndefined();
    expect(debug).toHaveLength(3);
    expect(debug[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ DEBUG \[test 1\] sessions: starting \{"url":"http:\/\/127\.0\.0\.1:1\/\?token=\*\*\*"\}$/);
    expect(warn).toHaveLength(1);
    expect(warn[0]).toContain('WARN  [test 1] sessions: ignored: removing the helper container {"error":{"name":"Error","message":"no such container","code":"ENGINE_ERROR"');
    expect(debug.join('\n')).not.toContain(TOKEN);
  });

  it('masks a secret added later in every child', () => {
    const lines: string[] = [];
    const root = createLogger([{ level: 'debug', write: (l) => lines.push(l) }]);
    root.child('a').addSecret('p4ssword-of-ana');
    root.child('b').info('login with p4ssword-of-ana');
    expect(lines[0]).toContain('login with ***');
  });

  it('a sink that throws never breaks the caller', () => {
    const log = createLogger([{ level: 'debug', write: () => { throw new Error('disk full'); } }]);
    expect(() => log.error('x')).not.toThrow();
  });
});

describe('the rotating log file', () => {
  it('is made on the first line, rotates by size and keeps the newest lines readable', () => {
    const dir = join(scratch, 'rotate', 'logs');
    const sink = rotatingFileSink(dir, { maxBytes: 1_000, keep: 2 });
    expect(existsSync(dir)).toBe(false);
    const log = createLogger([sink]);
    for (let i = 0; i < 60; i += 1) log.info(`line ${i} ${'x'.repeat(40)}`);
    sink.close();
    expect(existsSync(join(dir, 'benchtop.log'))).toBe(true);
    expect(existsSync(join(dir, 'benchtop.log.1'))).toBe(true);
    expect(existsSync(join(dir, 'benchtop.log.2'))).toBe(true);
    expect(existsSync(join(dir, 'benchtop.log.3'))).toBe(false);
    expect(readFileSync(join(dir, 'benchtop.log')).length).toBeLessThanOrEqual(1_000);
    const recent = recentLog(dir, 300);
    expect(recent.trim().split('\n').at(-1)).toContain('line 59');
    // Only whole lines come back.
    expect(recent.split('\n')[0]).toMatch(/^\d{4}-/);
  });
});
