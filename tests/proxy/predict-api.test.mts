// The predict API's contract: inputs it refuses, the shape of its answers, redaction. What each
// client really does is proven in clients-matrix.stack.test.mts.
import {describe, expect, it} from 'vitest';
import {CLIENTS, predict, predictAll} from '../../src/proxy/predict.mts';
import {proxyVariables} from '../../src/proxy/env.mts';

const ENV = {http_proxy: 'http://alice:s3cret@proxy.corp:3128', HTTP_PROXY: 'http://alice:s3cret@proxy.corp:3128', no_proxy: ''};

describe('predict / predictAll', () => {
  it('refuses what is not an http(s) URL and unknown clients, with one-line messages', () => {
    expect(() => predict('curl', 'not a url', {})).toThrow(/^not a URL: not a url$/);
    expect(() => predict('curl', 'ftp://host/file', {})).toThrow(/^not an http\(s\) URL: ftp:\/\/host\/file$/);
    expect(() => predict('lynx' as never, 'http://host/', {})).toThrow(/^unknown client "lynx"; known: curl, git, /);
  });

  it('answers once per client, in CLIENTS order, never showing a credential', () => {
    const all = predictAll('http://127.0.0.1:8000/v1', ENV);
    expect(all.map((p) => p.client)).toEqual(CLIENTS.map((c) => c.id));
    for (const p of all) {
      expect(['direct', 'via', 'fails']).toContain(p.outcome);
      expect(p.rule.length).toBeGreaterThan(10);
      expect(JSON.stringify(p)).not.toContain('s3cret');
      if (p.outcome === 'via') expect(p.proxy).toBe('http://***@proxy.corp:3128');
    }
  });

  it('models httpx 0.28 by default and 0.23 on request', () => {
    const env = {http_proxy: 'http://proxy:3128', no_proxy: '[::1]'};
    expect(predict('httpx', 'http://127.0.0.1:8000/', env).outcome).toBe('fails');
    expect(predict('httpx', 'http://127.0.0.1:8000/', env, {httpx: '0.23'}).outcome).toBe('via');
  });

  it('says which release each rule assumes: the installed one, or the newest known rule', () => {
    const env = {http_proxy: 'http://proxy:3128', no_proxy: 'ternal.test'};
    const old = predict('requests', 'http://svc.internal.test/', env, {versions: {requests: '2.28.1'}});
    expect([old.outcome, old.assumes]).toEqual(['direct', 'requests 2.28.1']);
    const unknown = predict('requests', 'http://svc.internal.test/', env);
    expect([unknown.outcome, unknown.assumes]).toEqual(['via', 'requests 2.34 (version not detected: newest known rule)']);
    expect(predict('wget', 'http://svc.internal.test/', env).assumes).toBeUndefined();
  });

  it('Go converts NO_PROXY entries to punycode as it does the host (Go\'s own x/net rule)', () => {
    const env = {HTTP_PROXY: 'http://proxy.test:3128', NO_PROXY: '.示例.com'};
    expect(predict('go', 'http://www.示例.com/', env).outcome).toBe('direct');
    expect(predict('go', 'http://www.xn--fsq092h.com/', env).outcome).toBe('direct');
    expect(predict('go', 'http://www.example.com/', env).outcome).toBe('via');
  });

  it('flags a proxy on this machine as local, in any spelling of loopback', () => {
    for (const proxy of ['127.0.0.1:7890', 'http://localhost:7890', 'socks5://[::1]:7891', 'http://u:p@127.0.0.2:1']) {
      expect(predict('curl', 'http://svc.internal.test/', {http_proxy: proxy}).local, proxy).toBe(true);
    }
    expect(predict('curl', 'http://svc.internal.test/', {http_proxy: 'http://proxy.corp:3128'}).local).toBeUndefined();
  });

  it('lists the proxy variables that are set, empty ones included', () => {
    expect(proxyVariables({PATH: '/bin', no_proxy: '', HTTPS_PROXY: 'http://p:1'})).toEqual([
      {name: 'HTTPS_PROXY', value: 'http://p:1'},
      {name: 'no_proxy', value: ''},
    ]);
  });
});
