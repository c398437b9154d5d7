// A test file's name says its kind (vitest.config.mts): `X.test.mts` unit, run without the global
// stack by `npm run test:quick`; `X.stack.test.mts` stack; `X.browser.test.mts` site. A unit file
// that reaches the stack or a browser (itself or through a helper of tests/) would fail or be slow
// in `npm run test:quick`; this names it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';

const TESTS = path.resolve(import.meta.dirname, '..');
/** Calls that need the global stack (tests/kit/stack.mts's inject), a built site or Chromium. */
const NEEDS_STACK_OR_BROWSER = /\b(?:describeWithSquid|describeWithSocks|stackInfo|squidInfo|socksInfo|settledLog|settledLogFor|accessLog|useBuiltSite|launchChromium)\(/;
const DEFINES = new Set(['kit/stack.mts', 'kit/browser.mts', 'site/built-site.mts']);

const modules = fs.readdirSync(TESTS, {recursive: true, withFileTypes: true})
  .filter((e) => e.isFile() && e.name.endsWith('.mts'))
  .map((e) => path.relative(TESTS, path.join(e.parentPath, e.name)).split(path.sep).join('/'));

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(TESTS, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+\.mts)['"]/gm)]
    .map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)))
    .filter((target) => !target.startsWith('..'));
}

/** Files of tests/ that call, themselves or through what they import, something of the stack or a browser. */
function reachingStackOrBrowser(): Set<string> {
  const direct = new Set(modules.filter((file) => !DEFINES.has(file) && NEEDS_STACK_OR_BROWSER.test(fs.readFileSync(path.join(TESTS, file), 'utf8'))));
  let grew = true;
  while (grew) {
    grew = false;
    for (const file of modules) {
      if (!direct.has(file) && importsOf(file).some((target) => direct.has(target))) {
        direct.add(file);
        grew = true;
      }
    }
  }
  return direct;
}

describe('test kinds by file name', () => {
  const reaching = reachingStackOrBrowser();
  it('sees the files that need the stack (the check itself works)', () => {
    expect(reaching).toContain('stack/squid.stack.test.mts');
    expect(reaching).toContain('site/pages.browser.test.mts');
  });

  it('no unit test file (`X.test.mts`) reaches the stack, a built site or Chromium', () => {
    const unit = (file: string) => file.endsWith('.test.mts') && !/\.(?:stack|browser)\.test\.mts$/.test(file);
    expect([...reaching].filter(unit).sort()).toEqual([]);
  });
});
