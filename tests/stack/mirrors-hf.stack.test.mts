import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sha256} from '../../src/io/hash.mts';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startHfEndpoint, type RunningHfEndpoint} from '../../src/stack/mirrors/hf-endpoint.mts';
import {TINY_MODEL_REPO_ID, tinyModelFiles} from '../../src/stack/mirrors/tiny-model.mts';
import {bytesOf, cleanEnv, findHfPython, run, type ClientResult} from './mirrors-fixtures/clients.mts';
import {ROUTES, useRoute} from './mirrors-fixtures/routes.mts';

const HF_DOWNLOAD = join(import.meta.dirname, 'mirrors-fixtures', 'hf-download.py');
const files = tinyModelFiles();
const expectedDigests = Object.fromEntries(files.map((f) => [f.path, sha256(f.bytes)]));
const found = await findHfPython();
const hfSkip = found.python === null ? `huggingface_hub is not importable by ${found.looked.join(', ')}` : undefined;

/** Response headers of `curl -sSI`, lower-cased names. */
function headers(result: ClientResult): Record<string, string> {
  const lines = result.stdout.split('\r\n').filter((l) => l.includes(':'));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

describe('HF-style endpoint', () => {
  let hf: RunningHfEndpoint;
  let tmp: string;
  let commit: string;
  const resolveUrl = (file: string, rev = 'main') => `${hf.url}/${TINY_MODEL_REPO_ID}/resolve/${rev}/${file}`;
  const curl = (args: string[]) => run('curl', ['-sS', ...args], cleanEnv());

  beforeAll(async () => {
    hf = await startHfEndpoint();
    commit = hf.commits[TINY_MODEL_REPO_ID];
    tmp = await mkdtemp(join(tmpdir(), 'mirrors-hf-'));
  });
  afterAll(async () => {
    await hf?.close();
    if (tmp) await rm(tmp, {recursive: true, force: true});
  });

  it('serves a real safetensors file: header length, JSON header, tensor bytes', async () => {
    const bytes = bytesOf(await curl(['-f', resolveUrl('model.safetensors')]));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString());
    expect(header.weight).toEqual({dtype: 'F32', shape: [2, 2], data_offsets: [0, 16]});
    const data = bytes.subarray(8 + headerLength);
    expect([0, 1, 2, 3].map((i) => data.readFloatLE(i * 4))).toEqual([0.5, -1, 2, 0.25]);
  });

  it('answers HEAD with the commit, git blob ETag and size the client checks', async () => {
    const result = await curl(['-I', resolveUrl('config.json')]);
    const h = headers(result);
    const config = files.find((f) => f.path === 'config.json')!;
    await writeFile(join(tmp, 'config.json'), config.bytes);
    const gitBlob = await run('git', ['hash-object', join(tmp, 'config.json')], cleanEnv());
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(h['x-repo-commit']).toBe(commit);
    expect(h.etag).toBe(`"${gitBlob.stdout.trim()}"`);
    expect(Number(h['content-length'])).toBe(config.bytes.length);
    expect(h['x-linked-etag']).toBeUndefined();
  });

  it('marks the LFS weights with X-Linked-Etag (sha256) and X-Linked-Size', async () => {
    const weights = files.find((f) => f.path === 'model.safetensors')!;
    const h = headers(await curl(['-I', resolveUrl('model.safetensors')]));
    expect(h['x-linked-etag']).toBe(`"${sha256(weights.bytes)}"`);
    expect(Number(h['x-linked-size'])).toBe(weights.bytes.length);
    expect(h['x-repo-commit']).toBe(commit);
  });

  it('reports the commit and siblings in repo info, at main and at the commit', async () => {
    for (const path of [`/api/models/${TINY_MODEL_REPO_ID}`, `/api/models/${TINY_MODEL_REPO_ID}/revision/${commit}`]) {
      const info = JSON.parse((await curl(['-f', `${hf.url}${path}`])).stdout);
      expect(info.sha).toBe(commit);
      expect(info.siblings.map((s: {rfilename: string}) => s.rfilename).sort()).toEqual(files.map((f) => f.path).sort());
    }
  });

  it('lets curl resume a partial download with -C -', async () => {
    const weights = files.find((f) => f.path === 'model.safetensors')!;
    const target = join(tmp, 'resumed.safetensors');
    await writeFile(target, weights.bytes.subarray(0, 50));
    const result = await curl(['-f', '-C', '-', '-o', target, resolveUrl('model.safetensors')]);
    expect(result.code, result.stderr).toBe(0);
    expect(sha256(await readFile(target))).toBe(sha256(weights.bytes));
    expect(hf.requests.at(-1)).toMatchObject({method: 'GET', status: 206});
  });

  it('answers unknown repos, revisions and files with the Hub error codes', async () => {
    const cases: Array<[string, string]> = [
      [`${hf.url}/nobody/nothing/resolve/main/config.json`, 'RepoNotFound'],
      [resolveUrl('config.json', 'no-such-branch'), 'RevisionNotFound'],
      [resolveUrl('missing.bin'), 'EntryNotFound'],
      [`${hf.url}/api/models/nobody/nothing`, 'RepoNotFound'],
    ];
    for (const [url, code] of cases) {
      const h = headers(await curl(['-I', url]));
      expect(h['x-error-code'], url).toBe(code);
    }
    expect((await curl(['-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', resolveUrl('config.json')])).stdout).toBe('405');
    expect((await curl(['-o', '/dev/null', '-w', '%{http_code}', `${hf.url}/tiny/mini-model/resolve/main/%E0%A4%A`])).stdout).toBe('400');
  });

  describe.each(ROUTES)('%s', (routeName) => {
    const route = useRoute(routeName);
    const hfPython = (args: string[]) =>
      run(
        found.python ?? 'python3',
        [HF_DOWNLOAD, ...args],
        route.env({
          HF_ENDPOINT: hf.url,
          HF_HOME: join(tmp, routeName, 'hf-home'),
          HF_HUB_DISABLE_TELEMETRY: '1',
          HF_HUB_DISABLE_PROGRESS_BARS: '1',
        }),
      );

    it('curl fetches every model file byte for byte', async (ctx) => {
      if (route.skipReason) ctx.skip(route.skipReason);
      const since = route.mark(hf);
      for (const file of files) {
        const result = await run('curl', ['-sS', '-f', resolveUrl(file.path)], route.env());
        expect(result.code, result.stderr).toBe(0);
        expect(sha256(bytesOf(result))).toBe(sha256(file.bytes));
      }
      await route.expectTaken(hf, since);
    });

    it('huggingface_hub snapshot_download fetches the whole folder with HF_ENDPOINT set', async (ctx) => {
      const reason = route.skipReason ?? hfSkip;
      if (reason) ctx.skip(reason);
      const since = route.mark(hf);
      const result = await hfPython(['snapshot', TINY_MODEL_REPO_ID, join(tmp, routeName, 'snapshot-cache')]);
      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(out.files).toEqual(expectedDigests);
      expect(out.snapshot).toContain(join('snapshots', commit));
      const used = hf.requests.slice(since.served);
      expect(used.some((r) => r.method === 'GET' && r.path.startsWith(`/api/models/${TINY_MODEL_REPO_ID}`))).toBe(true);
      for (const file of files) {
        expect(used, file.path).toContainEqual(
          expect.objectContaining({method: 'GET', path: `/${TINY_MODEL_REPO_ID}/resolve/${commit}/${file.path}`, status: 200}),
        );
      }
      await route.expectTaken(hf, since);
    });

    it('huggingface_hub hf_hub_download fetches one file, and a missing one raises EntryNotFoundError', async (ctx) => {
      const reason = route.skipReason ?? hfSkip;
      if (reason) ctx.skip(reason);
      const since = route.mark(hf);
      const cache = join(tmp, routeName, 'file-cache');
      const one = JSON.parse((await hfPython(['file', TINY_MODEL_REPO_ID, 'config.json', cache])).stdout);
      expect(one.files).toEqual({'config.json': expectedDigests['config.json']});
      const missing = JSON.parse((await hfPython(['file', TINY_MODEL_REPO_ID, 'missing.bin', cache])).stdout);
      expect(missing.error).toMatch(/EntryNotFoundError$/);
      await route.expectTaken(hf, since);
    });
  });
});
