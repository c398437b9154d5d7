// What the proxy checker adds to the guide page, from a production build of both locales: its chunk
// (the component and the src/proxy code it pulls in; src/components/docusaurus-plugin.mts names it,
// and only pages that show the checker load it: tests/site checks that), gzipped, plus its rules in
// the site's one stylesheet. Goal: at most 30 KB gzipped on the page.
import {execFile} from 'node:child_process';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {gzipSync} from 'node:zlib';
import {PROXY_CHECKER_CHUNK} from '../src/components/docusaurus-plugin.mts';
import type {BenchResult} from './run.mts';

const SITE_DIR = join(import.meta.dirname, '..');
const DOCUSAURUS = join(SITE_DIR, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
const CSS_MODULE = join(SITE_DIR, 'src', 'components', 'ProxyChecker', 'styles.module.css');
const GOAL_KB = 30;

/** gzip at zlib's default level, what web servers use. */
const gzipKB = (text: string) => Math.round(gzipSync(text).length / 102.4) / 10;

async function onlyFile(dir: string, pattern: RegExp): Promise<string> {
  const matches = (await readdir(dir)).filter((name) => pattern.test(name));
  if (matches.length !== 1) throw new Error(`expected one file matching ${pattern} in ${dir}, found ${matches.length}`);
  return readFile(join(dir, matches[0]!), 'utf8');
}

/** The top-level rules of minified CSS, with at-rule blocks (@media) split into their own rules. */
function rules(css: string): {prelude: string; body: string}[] {
  const found: {prelude: string; body: string}[] = [];
  let i = 0;
  while (i < css.length) {
    const open = css.indexOf('{', i);
    if (open < 0) break;
    let depth = 1;
    let close = open + 1;
    for (; close < css.length && depth > 0; close++) depth += css[close] === '{' ? 1 : css[close] === '}' ? -1 : 0;
    const prelude = css.slice(i, open).trim();
    const body = css.slice(open + 1, close - 1);
    if (prelude.startsWith('@') && body.includes('{')) {
      const inner = rules(body);
      if (inner.length) found.push(...inner.map((rule) => ({prelude: `${prelude}{${rule.prelude}`, body: `${rule.body}}`})));
    } else {
      found.push({prelude, body});
    }
    i = close;
  }
  return found;
}

/** The built stylesheet's rules that come from the checker's CSS module (`<class>_<hash>`). */
async function checkerCss(buildDir: string): Promise<string> {
  const classes = [...new Set([...(await readFile(CSS_MODULE, 'utf8')).matchAll(/\.([a-zA-Z][\w-]*)/g)].map((m) => m[1]!))];
  const own = new RegExp(`\\.(?:${classes.join('|')})_[\\w-]{4,}`);
  const css = await onlyFile(join(buildDir, 'assets', 'css'), /^styles\.[0-9a-f]+\.css$/);
  return rules(css).filter((rule) => own.test(rule.prelude)).map((rule) => `${rule.prelude}{${rule.body}}`).join('');
}

export default async function proxyCheckerSize(): Promise<BenchResult[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'bench-proxy-checker-'));
  try {
    await promisify(execFile)(process.execPath, [DOCUSAURUS, 'build', '--out-dir', outDir], {cwd: SITE_DIR, maxBuffer: 64 * 1024 * 1024});
    const chunk = new RegExp(`^${PROXY_CHECKER_CHUNK}\\.[0-9a-f]+\\.js$`);
    const en = gzipKB(await onlyFile(join(outDir, 'assets', 'js'), chunk));
    const zh = gzipKB(await onlyFile(join(outDir, 'zh-Hans', 'assets', 'js'), chunk));
    const css = await checkerCss(outDir);
    if (css === '') throw new Error('no rule of the checker\'s CSS module found in the built stylesheet');
    const cssKB = gzipKB(css);
    const worst = Math.max(en, zh) + cssKB;
    return [
      {name: 'proxy checker chunk (component + src/proxy), en, gzipped', value: en, unit: 'KB'},
      {name: 'proxy checker chunk (component + src/proxy), zh-Hans, gzipped', value: zh, unit: 'KB'},
      {name: 'proxy checker rules in the site stylesheet, gzipped', value: cssKB, unit: 'KB'},
      {name: 'proxy checker added to the guide page (larger locale + CSS), gzipped', value: Math.round(worst * 10) / 10, unit: 'KB', goal: `≤ ${GOAL_KB} KB`, ok: worst <= GOAL_KB},
    ];
  } finally {
    await rm(outDir, {recursive: true, force: true});
  }
}
