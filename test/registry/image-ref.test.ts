import { describe, expect, it } from 'vitest';
import { BenchtopError } from '../../src/main/core/errors';
import { formatImageRef, parseImageRef } from '../../src/main/core/registry/image-ref';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  it.each([
    ['ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', familiarName: 'ubuntu' }],
    ['ubuntu:24.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '24.04' }],
    ['docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu', familiarName: 'ubuntu' }],
    ['docker.io/library/ubuntu:latest', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest' }],
    ['index.docker.io/jupyter/base-notebook', { registry: 'docker.io', repository: 'jupyter/base-notebook' }],
    ['jupyter/base-notebook:python-3.11', { registry: 'docker.io', repository: 'jupyter/base-notebook', tag: 'python-3.11', familiarName: 'jupyter/base-notebook' }],
    ['127.0.0.1:5000/team/analysis:2026.11.2', { registry: '127.0.0.1:5000', repository: 'team/analysis', tag: '2026.11.2', name: '127.0.0.1:5000/team/analysis' }],
    [`127.0.0.1:5000/team/analysis@${D}`, { registry: '127.0.0.1:5000', repository: 'team/analysis', digest: D }],
    [`127.0.0.1:5000/team/analysis:2026.11.2@${D}`, { registry: '127.0.0.1:5000', repository: 'team/analysis', tag: '2026.11.2', digest: D }],
    ['localhost/analysis', { registry: 'localhost', repository: 'analysis' }],
    ['localhost:5000/analysis:v1', { registry: 'localhost:5000', repository: 'analysis', tag: 'v1' }],
    ['registry.example.com/a/b/c/d:1', { registry: 'registry.example.com', repository: 'a/b/c/d', tag: '1' }],
    ['ghcr.io/my-org/my_repo.name__x:tag_1.0-rc', { registry: 'ghcr.io', repository: 'my-org/my_repo.name__x', tag: 'tag_1.0-rc' }],
    ['[::1]:5000/team/analysis', { registry: '[::1]:5000', repository: 'team/analysis' }],
    ['Registry.Example.com/team/x', { registry: 'Registry.Example.com', repository: 'team/x' }],
    ['myhost:5000/x', { registry: 'myhost:5000', repository: 'x' }],
    ['a--b/c', { registry: 'docker.io', repository: 'a--b/c' }],
    [`ubuntu@${D}`, { registry: 'docker.io', repository: 'library/ubuntu', digest: D, familiarName: 'ubuntu' }],
  ])('parses %s', (input, expected) => {
    expect(parseImageRef(input)).toMatchObject(expected);
  });

  it.each([
    ['', 'empty'],
    ['Upper', 'lower case'],
    ['team/Analysis:1', 'lower case'],
    ['team//analysis', 'empty path component'],
    ['team/analysis/', 'empty path component'],
    ['team/analysis:', 'tag after ":" is empty'],
    ['team/analysis:-bad', 'not a valid tag'],
    [`team/analysis:${'x'.repeat(129)}`, 'not a valid tag'],
    ['team/analysis@sha256:1234', 'not a digest'],
    [`team/analysis@sha256:${'A'.repeat(64)}`, 'lower-case hex'],
    [`team/analysis@sha256:${'a'.repeat(63)}0z`, 'not a digest'],
    ['team/analysis@', 'not a digest'],
    ['host:99999/x', 'not a valid port'],
    ['-host.com/x', 'not a valid registry host'],
    ['team/ana lysis', 'white space'],
    ['_underscore', 'not a valid repository path component'],
    ['a..b/c', 'not a valid registry host name'],
    ['x/a..b', 'not a valid repository path component'],
    [`${'a'.repeat(256)}`, 'longer than 255'],
    ['127.0.0.1:5000/', 'empty path component'],
    [':tag', 'repository name is missing'],
  ])('refuses %j (%s)', (input, reason) => {
    let error: unknown;
    try {
      parseImageRef(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BenchtopError);
    expect((error as BenchtopError).code).toBe('IMAGE_REF_INVALID');
    expect((error as BenchtopError).message).toContain(reason);
    expect((error as BenchtopError).hint).not.toBe('');
  });
});

describe('formatImageRef', () => {
  it.each([
    'ubuntu',
    'ubuntu:24.04',
    'jupyter/base-notebook:x',
    '127.0.0.1:5000/team/analysis:2026.11.2',
    `127.0.0.1:5000/team/analysis@${D}`,
    `ghcr.io/a/b:1@${D}`,
    'localhost/analysis',
  ])('round-trips %s', (input) => {
    expect(formatImageRef(parseImageRef(input))).toBe(input);
  });

  it('writes canonical names on request and familiar ones by default', () => {
    expect(formatImageRef(parseImageRef('docker.io/library/ubuntu:1'))).toBe('ubuntu:1');
    expect(formatImageRef(parseImageRef('ubuntu:1'), { canonical: true })).toBe('docker.io/library/ubuntu:1');
    expect(formatImageRef({ ...parseImageRef('127.0.0.1:5000/team/analysis:1'), tag: undefined, digest: D })).toBe(`127.0.0.1:5000/team/analysis@${D}`);
  });
});
