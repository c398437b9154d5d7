// vitest.config.mts runs the test files with `isolate: false`: a worker process runs one file after
// another with one module cache. That holds only while no test file changes what the next file in
// the same process would see. Scripts that tests start as their own processes are exempt.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';

const TESTS = path.resolve(import.meta.dirname, '..');

/** Run as separate processes, never imported by a test file. */
const CHILD_PROCESS_SCRIPTS = ['kit/gc-on-signal.mts', 'proxy/harness', 'startup-file/children', 'runner/children'];

const PROCESS_WIDE: [what: string, pattern: RegExp][] = [
  ['writes process.env', /process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete\s+process\.env|Object\.assign\(\s*process\.env/],
  ['changes the working directory', /process\.chdir\(/],
  ['adds a process listener', /process\.(on|once|addListener|prependListener)\(/],
  ['sets the exit code', /process\.exitCode\s*=/],
  ['mocks a module or a global', /vi\.(mock|doMock|stubEnv|stubGlobal)\(/],
];

function testSources(): string[] {
  return fs.readdirSync(TESTS, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile() && /\.(mts|ts|mjs)$/.test(e.name))
    .map((e) => path.relative(TESTS, path.join(e.parentPath, e.name)))
    .filter((file) => !file.includes(`${path.sep}fixtures${path.sep}`) && !file.includes(`mirrors-fixtures${path.sep}`))
    .filter((file) => !CHILD_PROCESS_SCRIPTS.some((exempt) => file === exempt || file.startsWith(exempt + path.sep)));
}

describe('test files share worker processes safely', () => {
  it('finds the test sources it checks', () => {
    expect(testSources()).toContain(path.join('structure', 'shared-workers.test.mts'));
    expect(testSources().length).toBeGreaterThan(50);
  });

  it('no test file or helper changes process-wide state', () => {
    const found: string[] = [];
    for (const file of testSources()) {
      if (file === path.join('structure', 'shared-workers.test.mts')) continue; // its patterns are text
      const lines = fs.readFileSync(path.join(TESTS, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        for (const [what, pattern] of PROCESS_WIDE) if (pattern.test(line)) found.push(`tests/${file}:${index + 1}: ${what}`);
      });
    }
    expect(found).toEqual([]);
  });
});
