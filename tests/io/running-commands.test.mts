// signalRunningCommands: what a run that a signal stops does with the programs it started through
// runCommand (src/runner/interrupt.mts calls it): each one still running gets the signal.
import {describe, expect, it} from 'vitest';
import {runCommand, signalRunningCommands} from '../../src/io/child-process.mts';

describe('signalRunningCommands', () => {
  it('sends the signal to every program runCommand runs, and to none that has ended', async () => {
    expect((await runCommand('true', [])).code).toBe(0);
    const running = [runCommand('sleep', ['600']), runCommand('sleep', ['600'])];
    signalRunningCommands('SIGHUP');
    for (const ended of await Promise.all(running)) expect(ended).toMatchObject({code: null, signal: 'SIGHUP', timedOut: false});
  });
});
