// The order files start in: longest first. Its results cache (node_modules/.vite/vitest) gives last
// run's durations; a fresh clone, as on CI, has none, and vitest falls back to the largest files
// first, which starts the long sequential chains below late (the Ansible file, the longest, then ran
// alone at the end with a core idle), and a long file that is small last. These files go first
// whenever vitest has no duration for them, in this order.
import * as path from 'node:path';
import {BaseSequencer, type TestSpecification} from 'vitest/node';

/** Files whose wall time is one long chain: a Docusaurus build, every example of a page in order, or
 *  deliberate timeouts (a proxy that never answers) waited out one after another. Started late, a
 *  file of waits ran alone at the end of a fresh clone's run, with a core idle. */
export const LONG_CHAINS = [
  'tests/cluster/ansible.stack.test.mts', // Ansible runs over SSH, real clients on each node: the longest file
  'tests/site/proxy-checker.browser.test.mts', // builds the site (the browser files below wait for that build)
  'tests/runbooks/page-examples.stack.test.mts', // runs every runbook's usage example, one after another
  'tests/site/pages.browser.test.mts',
  'tests/site/bundle.browser.test.mts', // a small file, so vitest's fallback started it last: 12 s alone at the end
  'tests/theme/outdated-banner.browser.test.mts', // builds a fixture site, both locales
  // The files of waits are spread among the busy ones: started side by side, they left the cores idle.
  'tests/runbooks/mirrors-check.stack.test.mts', // a proxy that swallows each probe until its 5 s limit
  'tests/site/served-runbooks.stack.test.mts',
  'tests/runbooks/fix-noproxy.stack.test.mts',
  'tests/runbooks/check-service.stack.test.mts', // a proxy that never answers; a hang
  'tests/env-holders/tmux-fix.stack.test.mts', // fix-noproxy runs, one after another, around one tmux server
  'tests/extraction/remark-plugin.stack.test.mts', // a one-page Docusaurus build that must fail
  'tests/stack/blackhole.stack.test.mts', // clients waiting out their timeouts
];

export default class LongChainsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    // [group, order within it]: the long chains vitest has no duration for, in the list's order;
    // then other files it has none for (new ones), in vitest's order; then the rest, longest first.
    const rank = (spec: TestSpecification): [number, number] => {
      const file = path.relative(root, spec.moduleId).split(path.sep).join('/');
      const known = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      if (known) return [2, -known.duration];
      const index = LONG_CHAINS.indexOf(file);
      return index === -1 ? [1, 0] : [0, index];
    };
    // Array.prototype.sort is stable: files of equal rank keep vitest's order.
    return sorted.sort((a, b) => {
      const [ga, oa] = rank(a);
      const [gb, ob] = rank(b);
      return ga - gb || oa - ob;
    });
  }
}
