// The order files start in. vitest's own sequencer starts the files that took longest in the last run
// first (its results cache, node_modules/.vite/vitest). A fresh clone, as on CI, has no such cache and
// vitest falls back to the largest files first, which starts the long sequential chains below late and
// leaves them running alone at the end. These files go first whenever vitest has no duration for them.
import * as path from 'node:path';
import {BaseSequencer, type TestSpecification} from 'vitest/node';

/** Files whose wall time is one long chain: a Docusaurus build, every example of a page in order, or
 *  deliberate timeouts (a proxy that never answers) waited out one after another. Started late, a
 *  file of waits ran alone at the end of a fresh clone's run, with a core idle. */
export const LONG_CHAINS = [
  'tests/site/proxy-checker.browser.test.mts', // builds the site (the others below wait for that build)
  'tests/runbooks/page-examples.stack.test.mts', // runs every runbook's usage example, one after another
  'tests/site/pages.browser.test.mts',
  'tests/theme/outdated-banner.browser.test.mts', // builds a fixture site, both locales
  'tests/site/served-runbooks.stack.test.mts',
  'tests/runbooks/fix-noproxy.stack.test.mts',
  'tests/env-holders/tmux-fix.stack.test.mts', // fix-noproxy runs, one after another, around one tmux server
  'tests/cluster/ansible.stack.test.mts', // three Ansible runs over SSH, real clients on each node
  'tests/extraction/remark-plugin.stack.test.mts', // a one-page Docusaurus build that must fail
  'tests/runbooks/mirrors-check.stack.test.mts', // a proxy that swallows each probe until its 5 s limit
  'tests/runbooks/check-service.stack.test.mts', // a proxy that never answers; a hang
  'tests/stack/blackhole.stack.test.mts', // clients waiting out their timeouts
];

export default class LongChainsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (spec: TestSpecification) => {
      const file = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const known = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      const index = LONG_CHAINS.indexOf(file);
      return known || index === -1 ? LONG_CHAINS.length : index;
    };
    // Array.prototype.sort is stable: everything else keeps vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
