// `npm run bundle [-- --out FILE]`: a deploy build of the site for SITE_URL (the address the bundle
// will be served at; the placeholder is refused), packed into one archive with its SHA256SUMS.
// Exit codes: 0 written, 1 the build or the packing failed, 2 usage error or refused.
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {promisify} from 'node:util';
import {UsageError, readCommandLine, runCli} from '../io/index.mts';
import {deployRefusal, siteAddress} from '../site-address/index.mts';
import {BUNDLE_NAME, writeBundle} from './bundle.mts';

const ROOT = join(import.meta.dirname, '..', '..');

const USAGE = 'usage: SITE_URL=https://… npm run bundle [-- --out FILE]';

async function main(): Promise<number> {
  const {values} = readCommandLine(process.argv.slice(2), {out: {type: 'string'}});
  const out = resolve(values.out ?? `${BUNDLE_NAME}.tar.gz`);
  let address: ReturnType<typeof siteAddress>;
  try {
    address = siteAddress();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const refusal = deployRefusal(address);
  if (refusal) throw new UsageError(refusal.replace('npm run build:deploy', 'npm run bundle'));

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
  if (!problem) return 0;
  console.error(`bundle: ${problem}`);
  return 1;
}

await runCli('bundle', USAGE, main);
