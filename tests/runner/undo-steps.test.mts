// kind=undo: a page's own command that takes its change back. Real generated runbooks, run as
// child processes: a run, --check and --dry-run never execute the undo step; --undo runs it after
// the runner's own undo (the file step's), with the user's values, and reports it.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {makeSandbox, type RunbookSandbox} from '../kit/runbooks.mts';

const page = `---
runbooks:
  demo:
    title: Mark a folder
    params:
      mark: {default: "marked", type: name}
---

\`\`\`bash runbook=demo step=look kind=check
test ! -e undo-log || cat undo-log
\`\`\`

\`\`\`text runbook=demo step=note kind=file path=note.txt
a note
\`\`\`

\`\`\`bash runbook=demo step=mark kind=run changes params=mark
echo marked > mark.txt
\`\`\`

\`\`\`bash runbook=demo step=unmark kind=undo params=mark
test -e note.txt && echo "note still there" >> undo-log
echo "undo marked: $(cat mark.txt)" >> undo-log && rm mark.txt
\`\`\`
`;

let box: RunbookSandbox;
beforeAll(async () => {
  box = await makeSandbox(page);
});
afterAll(() => box?.cleanup());

const report = (stdout: string) => JSON.parse(stdout) as {exitCode: number; mode: string; steps: {id: string; kind: string; status: string; exitCode: number | null}[]};
const log = () => join(box.dir, 'undo-log');

describe('kind=undo', () => {
  it('is left out of a run, --check and --dry-run, and --only naming it is a usage error', async () => {
    const dry = await box.run('demo', ['--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toContain('unmark');
    const ran = await box.run('demo', ['--yes', '--json', '-', '--mark', 'flagged']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(report(ran.stdout).steps.map((s) => s.id)).toEqual(['look', 'note', 'mark']);
    expect(readFileSync(join(box.dir, 'mark.txt'), 'utf8')).toBe('flagged\n');
    expect(existsSync(log())).toBe(false);
    const check = await box.run('demo', ['--check', '--json', '-']);
    expect(report(check.stdout).steps.map((s) => s.id)).toEqual(['look']);
    const only = await box.run('demo', ['--only', 'unmark', '--yes']);
    expect(only.code).toBe(2);
    expect(only.stderr).toContain('step unmark runs only with --undo');
    expect(existsSync(log())).toBe(false);
  });

  it('--undo asks first: without a terminal or --yes it is refused and runs nothing', async () => {
    const refused = await box.run('demo', ['--undo']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused: step note .*--yes/);
    expect(existsSync(log())).toBe(false);
  });

  it('--undo runs it after the runner has taken the file back, with the user values', async () => {
    const undone = await box.run('demo', ['--undo', '--yes', '--json', '-', '--mark', 'flagged']);
    expect(undone.code, undone.stderr).toBe(0);
    const json = report(undone.stdout);
    expect(json.mode).toBe('undo');
    expect(json.steps).toMatchObject([{id: 'unmark', kind: 'undo', status: 'ok', exitCode: 0}]);
    expect(undone.stderr).toContain('[undo 1/1] unmark');
    // the file step was undone first (note.txt gone), then the block ran with the flag's value
    expect(readFileSync(log(), 'utf8')).toBe('undo flagged: flagged\n');
    expect(existsSync(join(box.dir, 'note.txt'))).toBe(false);
    expect(existsSync(join(box.dir, 'mark.txt'))).toBe(false);
  });

  it('--undo exits 1 when the undo step fails', async () => {
    writeFileSync(log(), '');
    const failed = await box.run('demo', ['--undo', '--yes', '--json', '-']);
    expect(failed.code).toBe(1);
    expect(report(failed.stdout).steps).toMatchObject([{id: 'unmark', status: 'failed', exitCode: 1}]);
  });
});
