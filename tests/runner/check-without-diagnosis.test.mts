// --check runs the steps before the first change. A runbook that starts by changing the machine
// (a download) has none: --check says so (exit 2) instead of "all steps passed" for nothing run.
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeSandbox, type RunbookSandbox} from '../kit/runbooks.mts';

const page = `---
runbooks:
  demo:
    title: Fetch, then look
---

\`\`\`bash runbook=demo step=fetch kind=run changes
echo fetched > fetched.txt
\`\`\`

\`\`\`bash runbook=demo step=look kind=check
cat fetched.txt
\`\`\`
`;

let box: RunbookSandbox;
beforeAll(async () => {
  box = await makeSandbox(page);
});
afterAll(() => box?.cleanup());

describe('--check without a diagnosis', () => {
  it('is refused with one line naming the first step, and runs nothing', async () => {
    const ran = await box.run('demo', ['--check']);
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim().split('\n')[0]).toMatch(/^.*--check runs the steps before the first change, and there are none: step fetch \(docs\/test-page\.md:\d+\) changes this machine/);
    expect(ran.stdout).not.toContain('all steps passed');
    expect(existsSync(join(box.dir, 'fetched.txt'))).toBe(false);
  });

  it('--check with --only starting at a check runs it', async () => {
    const fetched = await box.run('demo', ['--only', 'fetch', '--yes']);
    expect(fetched.code, fetched.stderr).toBe(0);
    const ran = await box.run('demo', ['--check', '--only', 'look']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('fetched');
  });
});
