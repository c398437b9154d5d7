// Pasted text → environment and URL (src/proxy/pasted.mts): every form the proxy checker accepts,
// checked against what a real shell makes of the same text where one exists.
import {execFileSync} from 'node:child_process';
import {isIPv6 as nodeIsIPv6} from 'node:net';
import {domainToASCII as nodeDomainToASCII} from 'node:url';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formatEnvText, parseEnvText, parseUrlText} from '../../src/proxy/pasted.mts';
import {domainToASCII, isIPv6} from '../../src/proxy/target.mts';

/** What bash exports after running `text`, limited to the proxy variables. */
function bashEnv(text: string): Record<string, string> {
  const out = execFileSync('env', ['-i', 'bash', '--noprofile', '--norc', '-c', `${text}\nenv -0`], {encoding: 'utf8'});
  return Object.fromEntries(out.split('\0').filter((line) => /^[A-Za-z_]*_proxy=/i.test(line)).map((line) => {
    const eq = line.indexOf('=');
    return [line.slice(0, eq), line.slice(eq + 1)];
  }));
}

describe('parseEnvText', () => {
  it('reads `env | grep -i proxy` output, values verbatim', () => {
    const text = 'http_proxy=http://proxy.corp:3128\nNO_PROXY=localhost, 127.0.0.1\nno_proxy=\nGIT_PROXY_COMMAND=x\nnpm_config_proxy=http://n:1\n';
    expect(parseEnvText(text)).toEqual({
      env: {http_proxy: 'http://proxy.corp:3128', NO_PROXY: 'localhost, 127.0.0.1', no_proxy: '', npm_config_proxy: 'http://n:1'},
      ignored: [{line: 4, text: 'GIT_PROXY_COMMAND', reason: 'not-a-proxy-variable'}],
    });
  });

  it('reads export lines as bash does: quotes, escapes, several per line, comments, unset', () => {
    const text = [
      'export http_proxy="http://proxy.corp:3128"   # the office proxy',
      "export https_proxy='http://p:1' HTTPS_PROXY=http://p:2",
      'export no_proxy="localhost,\\"odd\\",127.0.0.1"',
      'declare -x ALL_PROXY="socks5://s:1080"',
      'export NO_PROXY=a\\ b,c',
      'export all_proxy=x',
      'unset all_proxy',
      'export http_proxy',
    ].join('\n');
    const parsed = parseEnvText(text);
    expect(parsed.ignored).toEqual([]);
    expect(parsed.env).toEqual(bashEnv(text));
  });

  it('strips set -x traces, prompts and CRLF line ends', () => {
    const text = '+ export http_proxy=http://p:3128\r\n++ export no_proxy=[::1]\r\n$ export HTTP_PROXY=http://q:1\r\n+ curl -sS http://127.0.0.1:8000/v1/models\r\n';
    expect(parseEnvText(text)).toEqual({
      env: {http_proxy: 'http://p:3128', no_proxy: '[::1]', HTTP_PROXY: 'http://q:1'},
      ignored: [{line: 4, text: '+ curl -sS http://127.0.0.1:8000/v1/models', reason: 'not-an-assignment'}],
    });
  });

  it('reads Windows set output and commands (an empty `set X=` deletes X), PowerShell, fish and csh', () => {
    const text = [
      'HTTP_PROXY=http://proxy.corp:3128',
      'set https_proxy=http://proxy.corp:3128',
      'SET "no_proxy=localhost,127.0.0.1"',
      'set HTTP_PROXY=',
      '$env:ALL_PROXY = "http://a:1"',
      'set -gx NO_PROXY localhost 127.0.0.1',
      'setenv ftp_proxy http://f:21',
      'set -e ftp_proxy',
      'Path=C:\\Windows',
      'ProgramFiles(x86)=C:\\Program Files (x86)',
    ].join('\r\n');
    expect(parseEnvText(text)).toEqual({
      env: {https_proxy: 'http://proxy.corp:3128', no_proxy: 'localhost,127.0.0.1', ALL_PROXY: 'http://a:1', NO_PROXY: 'localhost 127.0.0.1'},
      ignored: [
        {line: 9, text: 'Path', reason: 'not-a-proxy-variable'},
        {line: 10, text: 'ProgramFiles(x86)=C:\\Program Files (x86)', reason: 'not-an-assignment'},
      ],
    });
  });

  it('lists another variable by name only, never its value; skips blank and comment lines', () => {
    const parsed = parseEnvText('# my settings\n\nexport OPENAI_API_KEY=sk-secret REQUEST_METHOD=GET\nrem windows comment\n');
    expect(parsed).toEqual({env: {REQUEST_METHOD: 'GET'}, ignored: [{line: 3, text: 'OPENAI_API_KEY', reason: 'not-a-proxy-variable'}]});
    expect(JSON.stringify(parsed)).not.toContain('sk-secret');
  });

  it('gives up on a line with an unterminated quote instead of guessing', () => {
    expect(parseEnvText('export no_proxy="localhost').ignored).toEqual([{line: 1, text: 'export no_proxy="localhost', reason: 'not-an-assignment'}]);
  });

  it('formatEnvText writes what parseEnvText reads back, for any values', () => {
    const name = fc.constantFrom('http_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'all_proxy');
    fc.assert(fc.property(fc.dictionary(name, fc.string({unit: 'binary-ascii'}).filter((v) => !/[\r\n]/.test(v))), (env) => {
      expect(parseEnvText(formatEnvText(env)).env).toEqual(env);
    }));
  });
});

describe('parseUrlText', () => {
  it('takes URLs as they are and gives scheme-less addresses http://', () => {
    expect(parseUrlText(' http://127.0.0.1:8000/v1 ')).toEqual({ok: true, url: 'http://127.0.0.1:8000/v1'});
    expect(parseUrlText('0.0.0.0:8000')).toEqual({ok: true, url: 'http://0.0.0.0:8000'});
    expect(parseUrlText('localhost:8000/v1')).toEqual({ok: true, url: 'http://localhost:8000/v1'});
    expect(parseUrlText('[::1]:8000')).toEqual({ok: true, url: 'http://[::1]:8000'});
    expect(parseUrlText('"https://gpu01.corp.example.com/v1"')).toEqual({ok: true, url: 'https://gpu01.corp.example.com/v1'});
  });

  it('names what is wrong with the rest', () => {
    expect(parseUrlText('  ')).toEqual({ok: false, problem: 'empty'});
    expect(parseUrlText('127.0.0.1:8000:8000')).toEqual({ok: false, problem: 'not-a-url'});
    expect(parseUrlText('ftp://files.example.com')).toEqual({ok: false, problem: 'not-http'});
  });
});

describe('IP and host name parsing without node:net and node:url, so the models run in the browser', () => {
  it('agrees with node:net on addresses and near misses', () => {
    const samples = ['::1', '::', 'fe80::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3',
      '12345::1', '::1.2.3', '127.0.0.1', 'localhost', '::1/128', '[::1]', 'FD00::AB', ':1', '1:', 'gg::1', ''];
    for (const sample of samples) expect(isIPv6(sample), sample).toBe(nodeIsIPv6(sample));
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-fA-F:.]{0,24}$/), (text) => isIPv6(text) === nodeIsIPv6(text)));
    fc.assert(fc.property(fc.ipV6(), (address) => isIPv6(address) && nodeIsIPv6(address)));
  });

  it('domainToASCII agrees with node:url on host names, international ones included', () => {
    const samples = ['例子.测试', 'bücher.example', 'EXAMPLE.com', 'Bücher.DE', 'xn--bcher-kva.example', 'a..b', '☃.net',
      'ﬀ.com', '\u00ad.com', 'a\u200b.com', '１２７.０.０.１', 'ä'.repeat(70) + '.com', 'a b.com', ' x.com', 'x@y.com', '/x.com', ''];
    for (const sample of samples) expect(domainToASCII(sample), sample).toBe(nodeDomainToASCII(sample));
    const label = fc.string({unit: fc.constantFrom(...'abcXYZ019-äöü例子测试ß☃ﬀΉМ'), minLength: 1, maxLength: 8});
    fc.assert(fc.property(fc.array(label, {minLength: 1, maxLength: 4}), (labels) => {
      const name = labels.join('.');
      expect(domainToASCII(name)).toBe(nodeDomainToASCII(name));
    }), {numRuns: 2000});
  });
});
