// `npm run test:quick`: the unit tiers, for the inner loop. No global setup (no mock stack, no Squid),
// no site build, no real proxy clients, no runbook end-to-end runs; `npm test` (vitest.config.mts)
// stays the full suite and CI's command. A file belongs here only if it passes without the stack.
import {defineConfig} from 'vitest/config';
import full from './vitest.config.mts';

// Spread, not mergeConfig: mergeConfig concatenates arrays, which would keep the full include and the setup.
export default defineConfig({
  test: {
    ...full.test,
    include: [
      'tests/extraction/*.test.mts',
      'tests/proxy/*.test.mts',
      'tests/i18n/*.test.mts',
      'tests/runtime/*.test.mts',
      'tests/structure/*.test.mts',
      'tests/components/*.test.mts',
      'tests/env-holders/classify.test.mts',
      'tests/env-holders/report.test.mts',
    ],
    exclude: [
      'tests/extraction/remark-plugin.test.mts', // a real one-page docusaurus build
      'tests/proxy/clients-matrix.test.mts', // real Python, Go, Java, curl clients
      'tests/runtime/netcheck-cli.test.mts', // needs the stack
      'tests/runtime/stack-e2e.test.mts', // needs the stack
      // Real processes at scale: these take most of the time the unit tiers would otherwise take.
      'tests/runtime/crash-safety.test.mts', // SIGKILLs writers in a loop
      'tests/runtime/startup-file-runs.test.mts', // runs the fix-noproxy runbook from real shells
      'tests/runtime/portability.test.mts', // runs every runbook from a copy of runbooks/
      'tests/i18n/awkward-repos.test.mts', // many real git repositories
      'tests/i18n/cli.test.mts', // the i18n CLI as a child process, one per case
      'tests/components/proxy-checker.test.mts', // bundles and runs the netcheck CLI per case
    ],
    globalSetup: [],
  },
});
