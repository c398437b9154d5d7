import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {mergeNoProxy} from '../../src/proxy/merge-no-proxy.mts';
import {proxySecrets, redact, redactValue} from '../../src/proxy/redact.mts';

describe('mergeNoProxy', () => {
  it('keeps the user entries in order, adds loopback and additions, dedupes and strips spaces', () => {
    expect(mergeNoProxy(' corp.example.com, .corp.example.com ,LOCALHOST,,10.0.0.0/8', ['gpu01, 127.0.0.1', 'http://10.1.2.3:8000/v1'])).toEqual({
      value: 'corp.example.com,.corp.example.com,LOCALHOST,10.0.0.0/8,127.0.0.1,::1,0.0.0.0,gpu01,10.1.2.3',
      dropped: [],
    });
    expect(mergeNoProxy('', [])).toEqual({value: 'localhost,127.0.0.1,::1,0.0.0.0', dropped: []});
  });

  it('drops the entries that crash httpx, each with a reason, and still ends up with ::1', () => {
    const {value, dropped} = mergeNoProxy('[::1],[::1]:8000,fd00::/8,svc', ['[::1]']);
    expect(value).toBe('svc,localhost,127.0.0.1,::1,0.0.0.0');
    expect(dropped.map((d) => d.entry)).toEqual(['[::1]', '[::1]:8000', 'fd00::/8']);
    for (const d of dropped) expect(d.reason).toMatch(/httpx 0\.28\+ .* raise/);
  });

  it('is idempotent and never loses a safe entry (property)', () => {
    const entry = fc.stringMatching(/^[a-z0-9.:\-/[\]*]{1,12}$/);
    fc.assert(
      fc.property(fc.array(entry, {maxLength: 8}), fc.array(entry, {maxLength: 3}), (existing, additions) => {
        const once = mergeNoProxy(existing.join(','), additions);
        expect(mergeNoProxy(once.value, additions).value).toBe(once.value);
        const kept = once.value.split(',');
        expect(new Set(kept.map((k) => k.toLowerCase())).size).toBe(kept.length);
        for (const e of [...existing, ...additions]) {
          if (e.includes('://')) continue;
          const droppedIt = once.dropped.some((d) => d.entry.toLowerCase() === e.toLowerCase());
          expect(droppedIt || kept.some((k) => k.toLowerCase() === e.toLowerCase())).toBe(true);
        }
        expect(kept).toEqual(expect.arrayContaining(['127.0.0.1', '::1', '0.0.0.0']));
        expect(once.value).not.toMatch(/\s|,,|^,|,$/);
      }),
    );
  });
});

describe('redact', () => {
  it.each([
    ['http_proxy=http://user:pass@proxy:3128', 'http_proxy=http://***@proxy:3128'],
    ['HTTPS_PROXY=http://alice@proxy.corp:8080/', 'HTTPS_PROXY=http://***@proxy.corp:8080/'],
    ['{"http_proxy":"http://u:p@ss@h:1/x"}', '{"http_proxy":"http://***@h:1/x"}'],
    ['{"p":"http:\\/\\/u:p@h"}', '{"p":"http:\\/\\/***@h"}'],
    ['HTTP_PROXY=user:s3cret@proxy:3128', 'HTTP_PROXY=***@proxy:3128'],
    ["export ALL_PROXY='socks5h://u:p@h:1080'", "export ALL_PROXY='socks5h://***@h:1080'"],
    ['curl -x http://u:p@h:1 http://x/a@b', 'curl -x http://***@h:1 http://x/a@b'],
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', 'Proxy-Authorization: Basic ***'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves text without credentials alone', () => {
    for (const text of ['mail bob@example.com', 'git@github.com:a/b.git', 'http://proxy:3128', 'NO_PROXY=localhost,::1']) {
      expect(redact(text)).toBe(text);
    }
  });

  it('leaves an @ in a URL path alone: Go module proxy and npm paths keep their host', () => {
    for (const url of ['http://127.0.0.1:35049/golang.org/x/text/@v/list', 'https://goproxy.cn:443/github.com/a/b/@latest', 'http://[::1]:8080/m/@v/v1.0.0.zip', 'http://registry:4873/@scope%2fpkg']) {
      expect(redact(`probe (${url}) answered`)).toBe(`probe (${url}) answered`);
    }
    expect(redact('via http://alice:12/x@proxy.corp:3128 and http://bob:s3cret@10.0.0.1:3128/')).toBe('via http://***@proxy.corp:3128 and http://***@10.0.0.1:3128/');
  });

  it('never lets a generated password through (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9!$%&*+=~-]{6,16}$/);
    fc.assert(
      fc.property(secret, fc.constantFrom('http', 'https', 'socks5h'), fc.constantFrom('=', ': "', ' '), (password, scheme, sep) => {
        const text = `PROXY${sep}${scheme}://user:${password}@proxy.corp:3128/`;
        expect(redact(text)).not.toContain(password);
        expect(redact(redact(text))).toBe(redact(text));
      }),
    );
  });

  it('ends the userinfo at the last @ of a value, whatever the password holds', () => {
    expect(redact('alice:p@ssw0rd@host')).toBe('***@host');
    expect(redact('http_proxy=http://alice:p%40ss:w0rd#x@127.0.0.1:3128')).toBe('http_proxy=http://***@127.0.0.1:3128');
    expect(redact('HTTPS_PROXY=http://u:a/b?c"d e@h:1')).toBe('HTTPS_PROXY=http://***@h:1');
    expect(redact("* Uses proxy env variable http_proxy == 'http://u:p w@h:1'")).toBe("* Uses proxy env variable http_proxy == 'http://***@h:1'");
    expect(redactValue('socks5h://u:x://y@z@h:1080')).toBe('socks5h://***@h:1080');
    expect(redact('{"a":"http://u:p\\"w@h","b":"x@y"}')).toBe('{"a":"http://***@h","b":"x@y"}');
    // a sentence about a variable is not its value
    expect(redact('http_proxy is set; no no_proxy entry matches bob@example.com')).toBe('http_proxy is set; no no_proxy entry matches bob@example.com');
    expect(redact('no_proxy=localhost,a@b')).toBe('no_proxy=localhost,a@b');
  });

  it('hides the known passwords of an environment in any form a client prints them', () => {
    const secrets = proxySecrets({http_proxy: 'http://alice:p a"s@s@h:1', no_proxy: 'x@yyyy', HOME: 'u:vvvvv@h'});
    expect(redact('Could not resolve proxy: alice:p a"s@s (p%20a%22s%40s)', secrets)).not.toMatch(/p a"s@s|p%20a%22s%40s|alice/);
    expect(secrets.some((s) => s.includes('yyyy') || s.includes('vvvvv'))).toBe(false);
  });
});

// Every printable ASCII character, raw or percent-encoded, with or without a scheme. The password
// carries a marker (Qz7) so that any part of it in the output is found, not only the whole.
const MARKER = 'Qz7';
const printable = fc.string({unit: fc.integer({min: 0x20, max: 0x7e}).map((code) => String.fromCharCode(code)), minLength: 3, maxLength: 12});
const generatedPassword = fc.tuple(printable, printable).map(([a, b]) => `${a}${MARKER}${b}`);
const encoding = fc.constantFrom<'raw' | 'percent'>('raw', 'percent');
const schemeOf = fc.constantFrom('http://', 'https://', 'socks5h://', '');

function proxyValue(password: string, how: 'raw' | 'percent', scheme: string): string {
  return `${scheme}alice:${how === 'raw' ? password : encodeURIComponent(password)}@proxy.corp:3128`;
}

function leaks(text: string, password: string): boolean {
  return [password, encodeURIComponent(password), MARKER].some((form) => text.includes(form));
}

describe('redact, over generated passwords (property)', () => {
  const lineContexts = [
    (name: string, value: string) => `${name}=${value}`,
    (name: string, value: string) => `export ${name}="${value}"`,
    (name: string, value: string) => `declare -x ${name}="${value}"`,
    (name: string, value: string) => `set -gx ${name} '${value}'`,
    (name: string, value: string) => `+ export ${name}=${value}`,
    (name: string, value: string) => `* Uses proxy env variable ${name} == '${value}'`,
  ];
  const inText = [
    (value: string) => `curl: (5) Could not resolve proxy ${value} for http://x/a@b`,
    (value: string) => JSON.stringify({proxy: value, other: 'mail@example.com'}),
  ];

  it('hides any password in a variable\'s line, by the patterns alone', () => {
    fc.assert(fc.property(generatedPassword, encoding, schemeOf, fc.constantFrom('http_proxy', 'HTTPS_PROXY', 'all_proxy'), fc.nat(lineContexts.length - 1),
      (password, how, scheme, name, context) => {
        const text = `before\n${lineContexts[context]!(name, proxyValue(password, how, scheme))}\nafter`;
        const out = redact(text);
        expect(leaks(out, password)).toBe(false);
        expect(out).toContain('***@proxy.corp:3128');
        expect(redact(out)).toBe(out);
      }), {numRuns: 3000});
  });

  it('hides any password without blanks or raw quotes inside free text and JSON, by the patterns alone', () => {
    const plain = generatedPassword.filter((p) => !/[\s"]/.test(p));
    fc.assert(fc.property(plain, encoding, schemeOf, fc.nat(inText.length - 1), (password, how, scheme, context) => {
      // `alice://a/b@h` reads as a URL with a path: a scheme-less value whose password starts with
      // `//` needs the environment's secrets (next property).
      fc.pre(scheme !== '' || how === 'percent' || !password.startsWith('//'));
      const out = redact(inText[context]!(proxyValue(password, how, scheme)));
      expect(leaks(out, password)).toBe(false);
      expect(out).toContain('http://x/a@b'.slice(0, context === 0 ? 12 : 0));
    }), {numRuns: 3000});
  });

  it('hides any password anywhere once the environment\'s secrets are known', () => {
    fc.assert(fc.property(generatedPassword, encoding, schemeOf, fc.nat(inText.length - 1), (password, how, scheme, context) => {
      const value = proxyValue(password, how, scheme);
      const out = redact(inText[context]!(value), proxySecrets({https_proxy: value}));
      expect(leaks(out, password)).toBe(false);
    }), {numRuns: 3000});
  });

  it('redacts a value exactly: scheme and host stay', () => {
    fc.assert(fc.property(generatedPassword, encoding, schemeOf, (password, how, scheme) => {
      expect(redactValue(proxyValue(password, how, scheme))).toBe(`${scheme}***@proxy.corp:3128`);
    }), {numRuns: 3000, examples: [['//   Qz7   ', 'raw', '']]});
  });
});

