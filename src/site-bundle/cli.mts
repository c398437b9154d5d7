// `npm run bundle [-- --out FILE]`: a deploy build of the site for SITE_URL (the address the bundle
// will be served at; the placeholder is refused), packed into one archive with its SHA256SUMS.
// Exit codes: 0 written, 1 the build or the packing failed, 2 usage error or refused.
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {parseArgs, promisify} from 'node:util';
import {deployRefusal, siteAddress} from '../site-address/site-url.mts';
import {BUNDLE_NAME, writeBundle} from './bundle.mts';

const ROOT = join(import.meta.dirname, '..', '..');

function fail(code: number, line: string): never {
  console.error(`bundle: ${line}`);
  process.exit(code);
}

let out: string;
let address: ReturnType<typeof siteAddress>;
try {
  const {values} = parseArgs({options: {out: {type: 'string'}}, strict: true});
  out = resolve(values.out ?? `${BUNDLE_NAME}.tar.gz`);
  address = siteAddress();
} catch (error) {
  fail(2, (error as Error).message);
}
const refusal = deployRefusal(address);
if (refusal) fail(2, `${refusal.replace('npm run build:deploy', 'npm run bundle')}`);

const build = await mkdtemp(join(tmpdir(), 'site-bundle-build-'));
const problem = await (async () => {
  console.log(`bundle: building the site for ${address.siteUrl} …`);
  const docusaurus = join(ROOT, 'node_modules', '@docusaurus', 'core', 'bin', 'docusaurus.mjs');
  const built = await promisify(execFile)(process.execPath, [docusaurus, 'build', '--out-dir', build], {
    cwd: ROOT, env: {...process.env, DEPLOY: '1'}, maxBuffer: 64 * 1024 * 1024,
  }).then(() => undefined, (error: {stderr?: string; message: string}) => `docusaurus build failed:\n${error.stderr || error.message}`);
  if (built) return built;
  const {files} = await writeBundle(build, out);
  console.log(`bundle: wrote ${out} (${files} files; unpack, check with sha256sum -c SHA256SUMS, serve with python3 -m http.server)`);
  return undefined;
})().catch((error: Error) => error.message);
await rm(build, {recursive: true, force: true});
if (problem) fail(1, problem);
