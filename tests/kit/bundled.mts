// Project entry points (.mts) as child processes, without tsx: `tsx` transpiles every module on
// each start (≈ 1.5 s of CPU for the i18n CLI on this machine), a bundle starts in ≈ 0.15 s.
// `node <await bundledEntry('src/i18n/cli.mts')> check` runs the same code as
// `tsx src/i18n/cli.mts check`: one esbuild bundle (dependencies included) per entry and content.
//
// - Self-location is kept: each bundled module's `import.meta.url`, `.dirname` and `.filename` are
//   its source file's (rewritten per module at load time, on the syntax tree: strings that merely
//   contain the words, such as the generated runbook's tail in src/extraction/emit.mts, are left
//   alone), so `new URL('./squid-supervisor.mjs', import.meta.url)` still names the file in src/.
// - What differs from tsx: a stack trace names the bundle's file and lines. No test compares those.
// - Cache: node_modules/.cache/bundled-entries/, shared by the parallel vitest workers and across
//   runs. `<entry key>.json` records every input file the last build read (esbuild's loaded files,
//   node_modules included) with its content hash; a lookup that finds them unchanged reuses the
//   bundle, otherwise it builds again. The entry key covers the entry's path, esbuild's version,
//   this file, tsconfig.json and package-lock.json (module resolution). Files are written to a
//   temporary name and renamed, so two workers building at once both end with a whole file.
import {sha256} from '../../src/io/hash.mts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build, transform, version as esbuildVersion, type Loader, type Plugin} from 'esbuild';

const REPO = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(REPO, 'node_modules/.cache/bundled-entries');
/** A bundle this old that is no longer the current one for its entry is removed. */
const STALE_MS = 24 * 3600 * 1000;

interface Manifest {
  bundle: string;
  /** Absolute path → sha256 of the bytes the build read. */
  inputs: Record<string, string>;
}

const inFlight = new Map<string, Promise<string>>();

export interface BundleOptions {
  /**
   * `cjs` (a .cjs file) starts ≈ 10 ms faster than `esm` (node's ES module loader stays idle);
   * worth it for a child started hundreds of times. Only for code without top-level await.
   */
  format?: 'esm' | 'cjs';
}

/**
 * The path of a bundled .mjs (or .cjs) that runs `entry` (a path relative to the repository, or
 * absolute) as `tsx entry` would; run it with `process.execPath`. Built at most once per content
 * of its inputs.
 */
export function bundledEntry(entry: string, {format = 'esm'}: BundleOptions = {}): Promise<string> {
  const file = path.resolve(REPO, entry);
  const id = `${format}:${file}`;
  let bundle = inFlight.get(id);
  if (!bundle) {
    bundle = cachedOrBuilt(file, format);
    inFlight.set(id, bundle);
  }
  return bundle;
}



function entryKey(file: string, format: string): string {
  const settings = [file, format, esbuildVersion, fs.readFileSync(import.meta.filename), ...['tsconfig.json', 'package-lock.json'].map((name) => readOrEmpty(path.join(REPO, name)))];
  return sha256(settings.map((part) => sha256(part)).join('\n')).slice(0, 16);
}

function readOrEmpty(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

async function cachedOrBuilt(file: string, format: 'esm' | 'cjs'): Promise<string> {
  const key = entryKey(file, format);
  const manifestFile = path.join(CACHE, `${key}.json`);
  const cached = upToDate(manifestFile);
  if (cached) return cached;

  const inputs: Record<string, string> = {};
  const result = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format,
    target: `node${process.versions.node}`,
    write: false,
    logLevel: 'silent',
    // CommonJS dependencies that require() Node's built-ins need a real require in an ES module.
    banner: format === 'esm' ? {js: "import {createRequire as __bundledCreateRequire} from 'node:module'; const require = __bundledCreateRequire(import.meta.url);"} : {},
    plugins: [recordInputs(inputs)],
  });
  const code = result.outputFiles![0]!.contents; // write: false
  const bundle = path.join(CACHE, `${key}-${sha256(Buffer.from(code)).slice(0, 16)}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  fs.mkdirSync(CACHE, {recursive: true});
  writeAtomically(bundle, code);
  writeAtomically(manifestFile, JSON.stringify({bundle: path.basename(bundle), inputs} satisfies Manifest));
  removeStale(key, bundle);
  return bundle;
}

/** The cached bundle when every input the last build read still has the same content. */
function upToDate(manifestFile: string): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  const bundle = path.join(CACHE, manifest.bundle);
  if (!fs.existsSync(bundle)) return undefined;
  for (const [input, hash] of Object.entries(manifest.inputs)) {
    if (sha256(readOrEmpty(input)) !== hash) return undefined;
  }
  return bundle;
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

function removeStale(key: string, current: string): void {
  for (const name of fs.readdirSync(CACHE)) {
    const file = path.join(CACHE, name);
    if (!name.startsWith(`${key}-`) || file === current) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, {force: true});
    } catch {
      // another worker removed it first
    }
  }
}

const LOADERS: Record<string, Loader> = {'.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx'};

/**
 * Loads every file itself: records its content hash (the cache's inputs) and gives each module
 * that mentions `import.meta` its own source location (see the top of this file).
 */
function recordInputs(inputs: Record<string, string>): Plugin {
  return {
    name: 'record-inputs',
    setup(builder) {
      builder.onLoad({filter: /.*/, namespace: 'file'}, async ({path: file}) => {
        const bytes = await fs.promises.readFile(file);
        inputs[file] = sha256(bytes);
        const loader = LOADERS[path.extname(file)];
        const text = bytes.toString('utf8');
        if (!loader || !text.includes('import.meta')) return {contents: bytes, loader: loader ?? 'default'};
        const located = await transform(text, {
          loader,
          sourcefile: file,
          define: {
            'import.meta.url': JSON.stringify(pathToFileURL(file).href),
            'import.meta.dirname': JSON.stringify(path.dirname(file)),
            'import.meta.filename': JSON.stringify(file),
          },
        });
        return {contents: located.code, loader: 'js'};
      });
    },
  };
}
