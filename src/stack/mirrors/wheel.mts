// Builds a pure-Python wheel (PEP 427) in memory: the package's modules, then METADATA, WHEEL and a
// RECORD listing every file with its sha256, as pip checks them on install.
import {createHash} from 'node:crypto';
import {zip} from './zip.mts';

export interface WheelSpec {
  name: string;
  version: string;
  /** Files inside the wheel by path, e.g. {'tinypkg/__init__.py': '…'}. */
  modules: Record<string, string>;
  summary?: string;
}

export interface BuiltWheel {
  filename: string;
  bytes: Buffer;
}

/** PEP 503 project name normalisation: `Tiny_Pkg` and `tiny.pkg` are both `tiny-pkg`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

export function buildWheel({name, version, modules, summary = 'A tiny package for testing package indexes.'}: WheelSpec): BuiltWheel {
  const stem = `${normalizeProjectName(name).replace(/-/g, '_')}-${version}`;
  const distInfo = `${stem}.dist-info`;
  const files: Array<[string, Buffer]> = [
    ...Object.entries(modules).map(([path, text]): [string, Buffer] => [path, Buffer.from(text)]),
    [`${distInfo}/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: ${summary}\n`)],
    [
      `${distInfo}/WHEEL`,
      Buffer.from('Wheel-Version: 1.0\nGenerator: llm-network-runbooks\nRoot-Is-Purelib: true\nTag: py3-none-any\n'),
    ],
  ];
  const record = [...files.map(([path, data]) => `${path},${recordHash(data)},${data.length}`), `${distInfo}/RECORD,,`];
  files.push([`${distInfo}/RECORD`, Buffer.from(`${record.join('\n')}\n`)]);
  return {filename: `${stem}-py3-none-any.whl`, bytes: zip(files.map(([entryName, data]) => ({name: entryName, data})))};
}

/** The package the mirrors serve by default: `import tinypkg; tinypkg.hello()`. */
export function tinyWheel(): BuiltWheel {
  return buildWheel({
    name: 'tinypkg',
    version: '0.1.0',
    modules: {'tinypkg/__init__.py': '__version__ = "0.1.0"\n\n\ndef hello():\n    return "hello from tinypkg"\n'},
  });
}
