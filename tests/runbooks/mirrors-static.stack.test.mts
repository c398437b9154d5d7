// The static checkers the setup-mirrors tests rely on: Compose's merge rules, with the examples of
// the Compose specification's merge page, and the Dockerfile reader on good and bad files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {copySources, dockerfileOf, mergeCompose, mergeMapping, parseDockerfile, readCompose, type ComposeFile} from './mirrors-static.mts';
import {REPO} from '../kit/runbooks.mts';

const compose = (services: ComposeFile['services']): ComposeFile => ({services});

describe('Compose merge rules', () => {
  it('merges mappings key by key and appends sequences (the spec\'s examples)', () => {
    const merged = mergeCompose(
      compose({foo: {key1: 'value1', key2: 'value2', dns: ['1.1.1.1']}}),
      compose({foo: {key2: 'VALUE', key3: 'value3', dns: ['8.8.8.8']}}),
    );
    expect(merged.services.foo).toEqual({key1: 'value1', key2: 'VALUE', key3: 'value3', dns: ['1.1.1.1', '8.8.8.8']});
  });

  it('replaces command and entrypoint instead of appending', () => {
    const merged = mergeMapping({command: ['echo', 'foo'], entrypoint: ['a']}, {command: ['echo', 'bar']});
    expect(merged).toEqual({command: ['echo', 'bar'], entrypoint: ['a']});
  });

  it('merges environment key by key whether each side is a list or a mapping', () => {
    expect(mergeMapping({environment: ['A=1', 'B=2', 'BARE']}, {environment: {B: 'two', C: '3'}}).environment).toEqual({A: '1', B: 'two', BARE: null, C: '3'});
    expect(mergeMapping({environment: {A: '1'}}, {environment: ['A=one=1']}).environment).toEqual({A: 'one=1'});
  });

  it('keeps volumes unique by their path in the container, the override winning', () => {
    const merged = mergeMapping({volumes: ['./a:/data', '/scratch']}, {volumes: ['./b:/data:ro', {type: 'bind', source: './c', target: '/c'}]});
    expect(merged.volumes).toEqual([
      {source: null, target: '/scratch', read_only: false},
      {source: './b', target: '/data', read_only: true},
      {source: './c', target: '/c', read_only: false},
    ]);
  });

  it('keeps ports unique by address, published port, target and protocol', () => {
    const merged = mergeMapping({ports: ['127.0.0.1:8000:8000', '9000']}, {ports: ['127.0.0.1:8000:8000', '8000:8000/udp']});
    expect(merged.ports).toEqual(['9000', '127.0.0.1:8000:8000', '8000:8000/udp']);
  });

  it('merges build field by field, a string build being its context', () => {
    expect(mergeMapping({build: 'docker'}, {build: {dockerfile: 'x.Dockerfile'}}).build).toEqual({context: 'docker', dockerfile: 'x.Dockerfile'});
    expect(mergeMapping({build: {context: '.', args: ['A=1']}}, {build: {args: {B: '2'}}}).build).toEqual({context: '.', args: {A: '1', B: '2'}});
  });

  it('resolves a service\'s Dockerfile inside its build context', () => {
    expect(dockerfileOf({build: {context: 'docker', dockerfile: 'client.Dockerfile'}}, '/p')).toBe('/p/docker/client.Dockerfile');
    expect(dockerfileOf({build: './svc'}, '/p')).toBe('/p/svc/Dockerfile');
    expect(dockerfileOf({build: {context: './a/b', dockerfile: '../../docker/go.Dockerfile'}}, '/p')).toBe('/p/docker/go.Dockerfile');
    expect(dockerfileOf({image: 'x'}, '/p')).toBeNull();
  });

  it('every service of the repository\'s compose.yaml builds from a Dockerfile that exists and parses', () => {
    const base = readCompose(path.join(REPO, 'compose.yaml'));
    const files = Object.values(base.services).map((s) => dockerfileOf(s, REPO)).filter((f): f is string => f !== null);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(parseDockerfile(fs.readFileSync(file, 'utf8'))[0].keyword, file).toBe('FROM');
  });
});

describe('Dockerfile reader', () => {
  it('joins continuations, skips comments and directives, allows ARG before FROM', () => {
    const text = '# syntax=docker/dockerfile:1\nARG BASE=debian\nFROM $BASE AS build\nENV A=1 \\\n    # dropped\n    B=2\n\nrun echo hi\n';
    expect(parseDockerfile(text)).toEqual([
      {keyword: 'ARG', args: 'BASE=debian', line: 2},
      {keyword: 'FROM', args: '$BASE AS build', line: 3},
      {keyword: 'ENV', args: 'A=1 B=2', line: 4},
      {keyword: 'RUN', args: 'echo hi', line: 8},
    ]);
  });

  it('finds COPY sources as BuildKit does: a plain name must exist, a wildcard may match nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-copy-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), '');
      expect(copySources('go.mod go.sum* ./', dir)).toEqual(['go.mod']);
      expect(() => copySources('go.mod go.sum ./', dir)).toThrow('go.sum not found in the build context');
      expect(() => copySources('*.lock ./', dir)).toThrow('no source files were specified');
      expect(copySources('. .', dir)).toEqual(['.']);
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });

  it('rejects an unknown instruction, a missing FROM and an unfinished continuation', () => {
    expect(() => parseDockerfile('FROM x\nFORM y\n')).toThrow('line 2: unknown instruction FORM');
    expect(() => parseDockerfile('RUN true\nFROM x\n')).toThrow('must be FROM');
    expect(() => parseDockerfile('# only a comment\n')).toThrow('must be FROM');
    expect(() => parseDockerfile('FROM x\nRUN a \\\n')).toThrow('line 2: the file ends inside');
  });
});
