import {availableParallelism} from 'node:os';
import {defineConfig} from 'vitest/config';
import {pyenvDirectPath} from './tests/kit/pyenv-path.mts';
import LongChainsFirst from './tests/kit/sequencer.mts';

// Node reads and parses NODE_EXTRA_CA_CERTS at every start, whether or not the process opens a TLS
// connection; set to the system bundle (as on this machine) that is ~60 of the ~85 ms of CPU a bare
// `node` start costs, paid by every worker, runbook, CLI and build worker the suite starts. Nothing
// in the suite reaches the internet or serves TLS, so the run goes without it (workers and their
// children inherit this environment).
delete process.env.NODE_EXTRA_CA_CERTS;
// The same for Python behind pyenv's shims: the interpreter the shim picks, without its scripts.
process.env.PATH = pyenvDirectPath(process.env.PATH ?? '', process.env);

// Three kinds of test file, told apart by name (a new file is one kind by its name alone):
// - `tests/**/X.test.mts` (unit): no stack, fast; `npm run test:quick` (TEST_TIER=quick) runs these
//   alone, without the global setup;
// - `X.stack.test.mts`: the global stack (mock vLLM, Squid, SOCKS, mirrors), real clients or many
//   real processes;
// - `X.browser.test.mts`: a built site in Chromium.
// `npm test` runs every file in one project: vitest reuses a worker only within a project, so three
// projects, their files interleaved longest first, started 32 workers in a run instead of 5 (each
// importing vitest and the helpers afresh: about 30 s of the suite's CPU).
const QUICK = process.env.TEST_TIER === 'quick';
const NOT_UNIT = ['tests/**/*.stack.test.mts', 'tests/**/*.browser.test.mts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most files spend their time waiting on real processes (Squid, clients, builds, Chromium), so
    // twice as many workers as cores keeps both cores busy; vitest's default (cores - 1) ran this
    // suite one file at a time on a 2-core machine.
    maxWorkers: availableParallelism() * 2,
    // Longest first: last run's durations, or on a fresh clone the long chains the sequencer names.
    sequence: {sequencer: LongChainsFirst},
    // A worker keeps its module cache from one file to the next instead of importing vitest, the
    // helpers and src/ afresh per file: about a sixth of the suite's CPU time. No test file writes
    // process-wide state (process.env, cwd, mocks, process listeners); each closes what it starts.
    isolate: false,
    // TEST_CPU_LOG=<file>: each file appends its CPU time there (bench/test-suite reports it per area).
    setupFiles: process.env.TEST_CPU_LOG ? ['tests/kit/cpu-accounting.mts'] : [],
    include: ['tests/**/*.test.mts'],
    exclude: QUICK ? NOT_UNIT : [],
    globalSetup: QUICK ? [] : ['tests/stack/global-setup.mts'],
  },
});
