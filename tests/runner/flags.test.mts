// A runbook's command line: the runner's own options plus one option per parameter of its plan,
// read by the one strict reader (src/io/command-line.mts).
import {describe, expect, it} from 'vitest';
import {ArgumentError} from '../../src/io/command-line.mts';
import type {ParamSpec} from '../../src/plan/plan.mts';
import {parseArgs} from '../../src/runner/flags.mts';

const PARAMS: ParamSpec[] = [
  {name: 'url', default: 'http://127.0.0.1:8000', flag: '--url', type: 'url', help: null, compute: null},
  {name: 'no_proxy', default: 'localhost', flag: '--no-proxy', type: 'host-list', help: null, compute: 'no-proxy-merge'},
];

describe('runbook flags', () => {
  it('takes each parameter of the plan by its flag, and the switches alone or grouped', () => {
    const options = parseArgs(['--url', 'http://10.0.0.5:8000', '--no-proxy=.corp', '-hy', '--check', '--rc', '~/.zshrc'], PARAMS);
    expect(options).toMatchObject({params: {url: 'http://10.0.0.5:8000', no_proxy: '.corp'}, help: true, yes: true, check: true, rc: '~/.zshrc'});
    expect(parseArgs([], PARAMS)).toMatchObject({params: {}, help: false, yes: false, json: null, only: null, from: null});
  });

  it('--json takes an optional file: stdout when last or before another option, or given -', () => {
    expect(parseArgs(['--json'], PARAMS).json).toBe('-');
    expect(parseArgs(['--json', '--yes'], PARAMS)).toMatchObject({json: '-', yes: true});
    expect(parseArgs(['--json', '-'], PARAMS).json).toBe('-');
    expect(parseArgs(['--json', 'report.json', '--yes'], PARAMS).json).toBe('report.json');
    expect(parseArgs(['--json=report.json'], PARAMS).json).toBe('report.json');
  });

  it('splits --only on commas and gathers repeated --cluster lists', () => {
    expect(parseArgs(['--only', 'a,,b'], PARAMS).only).toEqual(['a', 'b']);
    expect(parseArgs(['--cluster', '10.0.0.0/8,.corp', '--cluster', 'node1', '--cluster-hosts', 'n1 n2'], PARAMS).cluster)
      .toEqual({entries: ['10.0.0.0/8', '.corp', 'node1'], hosts: ['n1', 'n2']});
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--model', 'x'], 'unknown option --model'],
    [['-x'], 'unknown option -x'],
    [['--url'], '--url needs a value'],
    [['--url', '--yes'], '--url needs a value'],
    [['--rc', '--json'], '--rc needs a value'],
    [['--undo=yes'], '--undo takes no value'],
    [['fix'], 'unexpected argument "fix"'],
    [['--only', 'a', '--from', 'b'], '--only and --from cannot be combined'],
    [['--check', '--undo'], '--check cannot be combined with --undo or --from'],
  ])('refuses %j: %s', (args, message) => {
    const read = () => parseArgs(args, PARAMS);
    expect(read).toThrow(ArgumentError);
    expect(read).toThrow(new Error(message));
  });
});
