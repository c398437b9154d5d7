// vitest globalSetup: starts the mock stack once per run and hands its URLs to tests through
// `inject('stack')`. The teardown runs after failed tests too; if vitest itself dies, the Squid
// supervisors see their stdin close and stop Squid (see src/stack/squid-supervisor.mjs).
import type {TestProject} from 'vitest/node';
import {startStack, type StackInfo} from '../../src/stack/index.mts';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Locally a missing Squid or microsocks skips their tests; CI (CI=true) must have them, so there it is fatal.
  const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
  const stack = await startStack({squid: inCi ? 'required' : 'optional', socks: inCi ? 'required' : 'optional'});
  project.provide('stack', stack.info());
  return () => stack.stop();
}
