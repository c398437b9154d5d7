// Parameter values: per-type validation that keeps shell syntax out, and substitution of the
// page's default text.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {paramValueProblem, showsDefault, substituteParams} from '../../src/plan/params.mts';
import {PARAM_TYPES, type ParamSpec} from '../../src/plan/plan.mts';

const spec = (name: string, value: string, type: ParamSpec['type'] = 'name'): ParamSpec => ({
  name, default: value, flag: `--${name}`, type, help: null, compute: null,
});

describe('paramValueProblem', () => {
  it.each([
    ['url', 'http://127.0.0.1:8000'],
    ['url', 'https://user:p%40ss@proxy.example.com:3128/path'],
    ['url', 'http://[::1]:8000/v1'],
    ['url-list', 'https://mirror.example.com/simple,https://pypi.org/simple'],
    ['name', 'Qwen/Qwen2.5-7B-Instruct'],
    ['name', 'vllm/vllm-openai:v0.6.0'],
    ['host-list', 'localhost,127.0.0.1,::1,0.0.0.0,.corp.example.com,10.0.0.0/8,*'],
    ['path', '~/.config/pip/pip.conf'],
    ['int', '8000'],
  ] as const)('accepts the %s %s', (type, value) => {
    expect(paramValueProblem(type, value)).toBeNull();
  });

  it.each([
    ['url', 'ftp://example.com'],
    ['url', 'http://x/$(id)'],
    ['url', 'http://x/ y'],
    ['url-list', 'http://a,,http://b'],
    ['name', '-rf'],
    ['host-list', 'localhost;id'],
    ['path', 'a b'],
    ['int', '08'],
    ['int', '1e3'],
  ] as const)('rejects the %s %j', (type, value) => {
    expect(paramValueProblem(type, value)).toMatch(/./);
  });

  it('rejects every value holding a character the shell treats specially, whatever the type', () => {
    const special = fc.constantFrom(...'$`;&|<>()\'"\\ \t\n!{}#^'.split(''));
    const value = fc.tuple(fc.string(), special, fc.string()).map(([a, c, b]) => `http://h/${a}${c}${b}`);
    fc.assert(
      fc.property(value, fc.constantFrom(...PARAM_TYPES), (v, type) => paramValueProblem(type, v) !== null),
      {numRuns: 2000},
    );
  });
});

describe('substituteParams', () => {
  const params = [spec('url', 'http://127.0.0.1:8000', 'url'), spec('port', '8000', 'int'), spec('model', 'auto')];
  const values = {url: 'http://10.1.2.3:9000', port: '9000', model: 'qwen'};

  it('replaces standalone defaults only, longest first, in one pass', () => {
    const text = 'curl http://127.0.0.1:8000/v1 --port 8000 -p 18000 --model auto autocomplete auto_x';
    expect(substituteParams(text, {params: ['url', 'port', 'model']}, params, values)).toBe(
      'curl http://10.1.2.3:9000/v1 --port 9000 -p 18000 --model qwen autocomplete auto_x',
    );
  });

  it('replaces only the parameters the step declares, and never re-substitutes a value', () => {
    expect(substituteParams('8000 auto', {params: ['port']}, params, values)).toBe('9000 auto');
    const swapped = {url: 'http://127.0.0.1:8000', port: 'auto', model: '8000'};
    expect(substituteParams('8000 auto', {params: ['port', 'model']}, params, swapped)).toBe('auto 8000');
  });

  it('showsDefault agrees with what substitution replaces', () => {
    expect(showsDefault('--port 8000', '8000')).toBe(true);
    expect(showsDefault('--port 18000', '8000')).toBe(false);
    expect(showsDefault('autocomplete', 'auto')).toBe(false);
  });
});
