// The startup-file invariant, property-tested with real shells: after any sequence of fix runs
// (with or without --also), hand edits inside the block and --undo, the NO_PROXY a fresh shell gets
// from the file is a superset of what a fresh shell got before, the current environment's entries,
// the four loopback entries and --also, minus only the entries dropped by rule (bracketed IPv6,
// IPv6 CIDRs), each drop said. It runs the runner's own pieces in order, as a fix run does: read
// the file through a fresh shell, merge with the resolver, write the block. Files in bash, zsh and
// fish syntax, set directly or in a sourced file (CRLF there), beside bytes that are not UTF-8.
import {spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {resolveParam} from '../../src/runner/resolvers.mts';
import type {Shell} from '../../src/startup-file/detect.mts';
import {applyBlock, removeBlock} from '../../src/startup-file/edit.mts';
import {freshShellEnv} from '../../src/startup-file/fresh-shell.mts';

const ID = 'fix-noproxy-persist';
const LOOPBACK = ['localhost', '127.0.0.1', '::1', '0.0.0.0'];
const HOSTS = ['corp.example.com', '.internal.lan', '10.0.0.0/8', 'gpu-01', 'Build.Example.org', '[::1]', 'fd00::/8'];
const droppedByRule = (entry: string) => entry.startsWith('[') || (entry.includes(':') && entry.includes('/'));
const shells = (['bash', 'zsh', 'fish'] as const).filter((shell) => spawnSync(shell, ['-c', 'true']).status === 0);

type Op = {kind: 'fix'; also: string[]} | {kind: 'hand-edit'} | {kind: 'undo'};
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({kind: fc.constant('fix' as const), also: fc.subarray(['gpu-02', 'node-7.lan', 'fe80::/10'])}),
  fc.constant({kind: 'hand-edit' as const}),
  fc.constant({kind: 'undo' as const}),
);
const scenario = fc.record({
  shell: fc.constantFrom(...shells),
  fileEntries: fc.subarray(HOSTS, {minLength: 1, maxLength: 3}),
  sourced: fc.boolean(),
  crlf: fc.boolean(),
  envEntries: fc.subarray(HOSTS, {maxLength: 3}),
  ops: fc.array(op, {minLength: 1, maxLength: 4}),
});

let root: string;
let cases = 0;
let freshShells = 0;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'no-proxy-invariant-'));
});
afterAll(() => {
  fs.rmSync(root, {recursive: true, force: true});
  console.log(`NO_PROXY invariant: ${cases} cases, ${freshShells} fresh shells over ${shells.join(', ')}`);
});

const lower = (entries: string[]) => new Set(entries.map((e) => e.toLowerCase()));
const split = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);
const setLine = (shell: Shell, value: string) => (shell === 'fish' ? `set -gx NO_PROXY ${value}` : `export NO_PROXY=${value}`);

describe('NO_PROXY in the startup file across fix, re-run, --also, hand edits and --undo', () => {
  it.skipIf(shells.length === 0)('never loses an entry except those dropped by rule, each drop said', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({shell, fileEntries, sourced, crlf, envEntries, ops}) => {
        cases++;
        const dir = fs.mkdtempSync(path.join(root, 'case-'));
        const file = path.join(dir, shell === 'fish' ? 'config.fish' : shell === 'zsh' ? '.zshrc' : '.bashrc');
        const value = fileEntries.join(',');
        // Bytes that are not UTF-8 (a Latin-1 comment) must come back out unchanged.
        const latin1 = Buffer.from('# caf\xe9 \xff\n', 'latin1');
        if (sourced) {
          const sourcedFile = path.join(dir, 'proxy-env');
          fs.writeFileSync(sourcedFile, `${setLine(shell, value)}${crlf ? '\r\n' : '\n'}`);
          fs.writeFileSync(file, Buffer.concat([latin1, Buffer.from(`source ${sourcedFile}\n`)]));
        } else {
          fs.writeFileSync(file, Buffer.concat([latin1, Buffer.from(`${setLine(shell, value)}\n`)]));
        }
        const original = fs.readFileSync(file);
        const env = {PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8', ...(envEntries.length ? {NO_PROXY: envEntries.join(',')} : {})};
        const fresh = async () => {
          freshShells++;
          return freshShellEnv(shell, file, env);
        };
        const fromUser = split((await fresh()).NO_PROXY);
        expect(lower(fromUser)).toEqual(lower(fileEntries));

        for (const step of ops) {
          const before = await fresh();
          if (step.kind === 'fix') {
            // What main.mts and values.mts do for `fix-noproxy --only persist --yes [--also …]`.
            const resolved = await resolveParam('no-proxy-merge', {value: step.also.length ? step.also.join(',') : LOOPBACK.join(','), given: step.also.length > 0, env, startupFile: before});
            applyBlock(file, ID, `export no_proxy="${resolved.value}"\nexport NO_PROXY="${resolved.value}"`, shell);
            const after = await fresh();
            const wanted = [...split(before.NO_PROXY), ...split(before.no_proxy), ...envEntries, ...LOOPBACK, ...step.also];
            const got = lower(split(after.NO_PROXY));
            for (const entry of wanted) {
              if (droppedByRule(entry)) {
                expect(got.has(entry.toLowerCase()), entry).toBe(false);
                expect(resolved.notes.some((note) => note.startsWith(`dropped ${entry} from NO_PROXY`)), entry).toBe(true);
              } else {
                expect(got.has(entry.toLowerCase()), `${entry} kept (${shell}, got ${[...got]})`).toBe(true);
              }
            }
            expect(lower(split(after.no_proxy))).toEqual(got);
          } else if (step.kind === 'hand-edit') {
            const text = fs.readFileSync(file, 'latin1');
            if (!text.includes(`llm-network-runbooks:${ID}`)) continue;
            fs.writeFileSync(file, text.replace(/(NO_PROXY\s*=?\s*")/, '$1mine.lan,'), 'latin1');
            expect(split((await fresh()).NO_PROXY)).toContain('mine.lan');
          } else {
            removeBlock(file, ID);
            expect(fs.readFileSync(file)).toEqual(original);
            expect(lower(split((await fresh()).NO_PROXY))).toEqual(lower(fileEntries));
          }
          // Every byte outside the block is the user's, unchanged.
          expect(fs.readFileSync(file).subarray(0, original.length)).toEqual(original);
        }
        fs.rmSync(dir, {recursive: true, force: true});
      }),
      {numRuns: 40},
    );
  }, 300_000);
});
