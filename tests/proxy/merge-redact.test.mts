import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {mergeNoProxy} from '../../src/proxy/merge-no-proxy.mts';
import {redact} from '../../src/proxy/redact.mts';

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
});
