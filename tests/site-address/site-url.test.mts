// The one site address (src/site-address): what SITE_URL may say, how it splits into Docusaurus's
// url and baseUrl, the deploy refusal, and the substitution served runbooks and pages get.
import {describe, expect, it} from 'vitest';
import {deployRefusal, PLACEHOLDER_SITE_URL, siteAddress, withSiteUrl} from '../../src/site-address/site-url.mts';

describe('siteAddress', () => {
  it('unset or blank: the placeholder, flagged', () => {
    for (const value of [undefined, '', '  ']) {
      expect(siteAddress(value)).toEqual({url: PLACEHOLDER_SITE_URL, baseUrl: '/', siteUrl: PLACEHOLDER_SITE_URL, placeholder: true});
    }
  });

  it.each([
    ['https://runbooks.example.com', 'https://runbooks.example.com', '/', 'https://runbooks.example.com'],
    ['https://runbooks.example.com/', 'https://runbooks.example.com', '/', 'https://runbooks.example.com'],
    ['https://user.github.io/llm-network-runbooks/', 'https://user.github.io', '/llm-network-runbooks/', 'https://user.github.io/llm-network-runbooks'],
    ['https://user.github.io/llm-network-runbooks', 'https://user.github.io', '/llm-network-runbooks/', 'https://user.github.io/llm-network-runbooks'],
    ['http://mirror.internal:8000/docs/runbooks', 'http://mirror.internal:8000', '/docs/runbooks/', 'http://mirror.internal:8000/docs/runbooks'],
    ['HTTPS://Runbooks.Example.COM', 'https://runbooks.example.com', '/', 'https://runbooks.example.com'],
  ])('%s → url %s, baseUrl %s', (value, url, baseUrl, siteUrl) => {
    expect(siteAddress(value)).toEqual({url, baseUrl, siteUrl, placeholder: false});
  });

  // Anything that could end a string in generated JavaScript, HTML or a shell line is refused.
  it.each(['runbooks.example.com', 'ftp://host', 'https://host/a b', 'https://host/"x', "https://host/'x", 'https://host/x\\y', 'https://host?q=1', 'https://host/#x', 'https://user:pw@host', 'https://host/$(id)'])(
    'refuses %j with one line naming the variable',
    (value) => {
      expect(() => siteAddress(value)).toThrow(/^SITE_URL=.* is not an http\(s\) address like https:\/\/runbooks\.example\.com/);
      expect(() => siteAddress(value)).toThrow(/^[^\n]*$/);
    },
  );
});

describe('deployRefusal', () => {
  it('refuses the placeholder in one line naming SITE_URL, accepts a real address', () => {
    const refusal = deployRefusal(siteAddress(undefined));
    expect(refusal).toMatch(/^refusing to build for deployment: .*example\.org.*set SITE_URL/);
    expect(refusal).not.toContain('\n');
    expect(deployRefusal(siteAddress('https://runbooks.example.com'))).toBeUndefined();
  });
});

describe('withSiteUrl', () => {
  it('replaces every mention of the placeholder, paths kept, nothing else touched', () => {
    const text = `see: ${PLACEHOLDER_SITE_URL}/guides/x#a (中文: ${PLACEHOLDER_SITE_URL}/zh-Hans/guides/x#a); mail test@example.org`;
    expect(withSiteUrl(text, 'https://user.github.io/repo')).toBe('see: https://user.github.io/repo/guides/x#a (中文: https://user.github.io/repo/zh-Hans/guides/x#a); mail test@example.org');
  });
});
