import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {sha256} from '../../src/io/hash.mts';
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startPypiIndex, type RunningPypiIndex} from '../../src/stack/mirrors/pypi-index.mts';
import {buildWheel, type BuiltWheel} from '../../src/stack/mirrors/wheel.mts';
import {cleanEnv, pip, run} from './mirrors-fixtures/clients.mts';
import {ROUTES, useRoute} from './mirrors-fixtures/routes.mts';


/** The test's own package, in two versions so pins and "latest" can be told apart. */
function testWheel(version: string): BuiltWheel {
  return buildWheel({
    name: 'tinypkg',
    version,
    modules: {'tinypkg/__init__.py': `VERSION = "${version}"\n\ndef greet():\n    return "tinypkg " + VERSION + " from the test index"\n`},
  });
}

// Opens the wheel with Python's zipfile and checks every RECORD line's sha256 and size.
const CHECK_RECORD = `
import base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
record = [n for n in z.namelist() if n.endswith(".dist-info/RECORD")][0]
for path, digest, size in csv.reader(io.StringIO(z.read(record).decode())):
    if path == record:
        continue
    data = z.read(path)
    assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode(), path
    assert int(size) == len(data), path
print(len(z.namelist()))
`;

describe('PyPI-style simple index', () => {
  let index: RunningPypiIndex;
  let tmp: string;
  const wheels = [testWheel('0.1.0'), testWheel('0.2.0')];
  const curl = (args: string[]) => run('curl', ['-sS', ...args], cleanEnv());

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'mirrors-pypi-'));
    const wheelDir = join(tmp, 'wheels');
    await mkdir(wheelDir);
    for (const wheel of wheels) await writeFile(join(wheelDir, wheel.filename), wheel.bytes);
    await writeFile(join(wheelDir, 'notes.txt'), 'not a distribution, must not be listed\n');
    index = await startPypiIndex({dir: wheelDir});
  });
  afterAll(async () => {
    await index?.close();
    if (tmp) await rm(tmp, {recursive: true, force: true});
  });

  it('builds the same wheel bytes every time, with a RECORD Python verifies', async () => {
    expect(testWheel('0.1.0').bytes.equals(wheels[0].bytes)).toBe(true);
    expect(wheels[0].filename).toBe('tinypkg-0.1.0-py3-none-any.whl');
    const path = join(tmp, wheels[0].filename);
    await writeFile(path, wheels[0].bytes);
    const result = await run('/usr/bin/python3', ['-c', CHECK_RECORD, path], cleanEnv());
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('4');
  });

  describe.each(ROUTES)('%s', (routeName) => {
    const route = useRoute(routeName);

    it('pip download fetches the latest wheel, and a pinned one, from --index-url', async (ctx) => {
      if (route.skipReason) ctx.skip(route.skipReason);
      const since = route.mark(index);
      const dest = join(tmp, routeName, 'download');
      for (const requirement of ['tinypkg', 'tinypkg==0.1.0']) {
        const result = await pip(['download', '--no-deps', '--index-url', index.indexUrl, '--dest', dest, requirement], route.env());
        expect(result.code, result.stderr).toBe(0);
      }
      expect((await readdir(dest)).sort()).toEqual(wheels.map((w) => w.filename).sort());
      for (const wheel of wheels) expect(sha256(await readFile(join(dest, wheel.filename)))).toBe(sha256(wheel.bytes));
      const served = index.requests.slice(since.served);
      expect(served).toContainEqual(expect.objectContaining({method: 'GET', path: '/simple/tinypkg/', status: 200}));
      expect(served).toContainEqual(expect.objectContaining({method: 'GET', path: `/files/${wheels[1].filename}`, status: 200}));
      await route.expectTaken(index, since);
    });
  });

  it('serves a wheel pip installs and Python imports', async () => {
    const target = join(tmp, 'site');
    const install = await pip(['install', '--no-deps', '--index-url', index.indexUrl, '--target', target, 'tinypkg==0.1.0'], cleanEnv());
    expect(install.code, install.stderr).toBe(0);
    const imported = await run('/usr/bin/python3', ['-c', 'import tinypkg; print(tinypkg.greet())'], cleanEnv({PYTHONPATH: target}));
    expect(imported.stdout.trim()).toBe('tinypkg 0.1.0 from the test index');
  });

  it('lists projects and files as PEP 503 HTML with #sha256= fragments', async () => {
    const root = await curl(['-f', index.indexUrl]);
    expect(root.stdout).toContain('<a href="/simple/tinypkg/">tinypkg</a>');
    expect(root.stdout).not.toContain('notes');
    const page = (await curl(['-f', `${index.indexUrl}tinypkg/`])).stdout;
    for (const wheel of wheels) expect(page).toContain(`href="/files/${wheel.filename}#sha256=${sha256(wheel.bytes)}"`);
  });

  it('answers PEP 691 JSON when the client asks for it', async () => {
    const result = await curl(['-f', '-i', '-H', 'Accept: application/vnd.pypi.simple.v1+json', `${index.indexUrl}tinypkg/`]);
    const [head, body] = result.stdout.split('\r\n\r\n');
    expect(head).toMatch(/content-type: application\/vnd\.pypi\.simple\.v1\+json/i);
    const json = JSON.parse(body);
    expect(json.versions).toEqual(['0.1.0', '0.2.0']);
    expect(json.files[0]).toEqual({
      filename: wheels[0].filename,
      url: `/files/${wheels[0].filename}`,
      hashes: {sha256: sha256(wheels[0].bytes)},
      size: wheels[0].bytes.length,
    });
  });

  it('redirects non-normalised names and answers 404 for unknown projects and files', async () => {
    const status = async (path: string) =>
      (await curl(['-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', `${index.url}${path}`])).stdout;
    expect(await status('/simple/TinyPkg/')).toBe(`301 ${index.url}/simple/tinypkg/`);
    expect(await status('/simple/tinypkg')).toBe(`301 ${index.url}/simple/tinypkg/`);
    expect(await status('/simple/nothing-here/')).toBe('404 ');
    expect(await status('/files/notes.txt')).toBe('404 ');
    expect(await status('/files/..%2Fwheels%2Fnotes.txt')).toBe('404 ');
  });
});
