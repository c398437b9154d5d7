// The one command-line reader every CLI uses: strict parseArgs, bad input named as typed.
import {describe, expect, it} from 'vitest';
import {ArgumentError, UsageError, readCommandLine, usageText} from '../../src/io/command-line.mts';

const OPTIONS = {
  port: {type: 'string'},
  only: {type: 'string', multiple: true},
  json: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
} as const;

describe('readCommandLine', () => {
  it('reads long, inline, short and repeated options and positionals', () => {
    const {values, positionals} = readCommandLine(['run', '--port', '80', '--only=a', '--only', 'b', '-h', '--json'], OPTIONS, {positionals: 1});
    expect({...values}).toEqual({port: '80', only: ['a', 'b'], help: true, json: true});
    expect(positionals).toEqual(['run']);
  });

  it('takes "-" and a dash value written inline as values, and anything after -- as positionals', () => {
    expect({...readCommandLine(['--port', '-'], OPTIONS).values}).toEqual({port: '-'});
    expect({...readCommandLine(['--port=-1'], OPTIONS).values}).toEqual({port: '-1'});
    expect(readCommandLine(['--', '--json'], OPTIONS, {positionals: 1}).positionals).toEqual(['--json']);
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['-x'], 'unknown option -x'],
    [['--constructor'], 'unknown option --constructor'],
    [['--port'], '--port needs a value'],
    [['--port', '--json'], '--port needs a value'],
    [['--port', '-h'], '--port needs a value'],
    [['--json=yes'], '--json takes no value'],
    [['one', 'two'], 'unexpected argument "two"'],
  ])('refuses %j: %s', (args, message) => {
    const read = () => readCommandLine(args, OPTIONS, {positionals: 1});
    expect(read).toThrow(ArgumentError);
    expect(read).toThrow(new Error(message));
  });

  it('takes no positional unless told', () => {
    expect(() => readCommandLine(['run'], OPTIONS)).toThrow(new ArgumentError('unexpected argument "run"'));
  });
});

describe('usageText', () => {
  it('prints the usage after a wrong command line, and only the line for any other usage error', () => {
    expect(usageText('tool', 'usage: tool [--json]', new ArgumentError('unknown option --x'))).toBe('tool: unknown option --x\nusage: tool [--json]\n');
    expect(usageText('tool', 'usage: tool [--json]', new UsageError('refused: rerun with --yes'))).toBe('tool: refused: rerun with --yes\n');
  });
});
