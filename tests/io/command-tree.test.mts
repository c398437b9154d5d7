// runCommandTree, which runs the runbooks' steps with Node alone: output captured (both streams, and
// interleaved), stdin /dev/null, and at the time limit the whole process tree gone, even when a
// process that left the tree still holds the output open.
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {CommandNotFoundError, runCommandTree} from '../../src/io/child-process.mts';

/** Gone, or a zombie nobody has reaped yet: either way it runs no more. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (condition()) return true;
  return condition();
}

describe('runCommandTree', () => {
  it('captures stdout and stderr, apart and together; stdin is /dev/null; the exit code is the program\'s', async () => {
    const ran = await runCommandTree('bash', ['-c', 'echo out; echo err >&2; read line; echo "read: $?"; exit 3'], {env: {PATH: process.env.PATH}});
    expect(ran).toMatchObject({code: 3, signal: null, stdout: 'out\nread: 1\n', stderr: 'err\n', timedOut: false});
    expect(ran.all.split('\n').sort()).toEqual(['', 'err', 'out', 'read: 1']);
  });

  it('kills the whole tree at the time limit', async () => {
    const started = Date.now();
    const ran = await runCommandTree('bash', ['-c', 'sleep 60 & echo "$!"; (sleep 61; echo late) & sleep 62'], {timeoutMs: 500});
    expect(ran.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = Number(ran.stdout.trim());
    expect(await until(() => !running(pid)), `sleep ${pid} still runs`).toBe(true);
  });

  it('ends at the time limit when a process outside the tree holds the output', async () => {
    const ran = await runCommandTree('bash', ['-c', 'setsid sleep 30 & echo "$!"'], {timeoutMs: 1_000});
    try {
      expect(ran).toMatchObject({code: 0, timedOut: true});
    } finally {
      process.kill(Number(ran.stdout.trim()), 'SIGKILL');
    }
  });

  it('a missing program is CommandNotFoundError', async () => {
    await expect(runCommandTree('no-such-program-xyz', [])).rejects.toThrow(CommandNotFoundError);
  });
});
