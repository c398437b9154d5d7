// A PyPI-style "simple" index (what --index-url / PIP_INDEX_URL point at) serving the distributions
// found in one directory, read on every request so files dropped in later show up, or a fixed set
// of files held in memory (the tiny wheel: no temp dir, so even a killed stack leaves none).
//   GET /simple/                  project list           (PEP 503 HTML, or PEP 691 JSON by Accept)
//   GET /simple/{project}/        the project's files, each link with a #sha256= fragment
//   GET /files/{filename}         the file itself (HEAD and byte ranges too)
// Non-normalised project names redirect to the normalised URL, as PEP 503 asks.
import {sha256} from '../../io/index.mts';
import {readdir, readFile} from 'node:fs/promises';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {join} from 'node:path';
import {allowOnly, listen, pathSegments, sendBody, sendFile, sendJson, sendText, type ListenOptions, type RunningServer} from './http.mts';
import {normalizeProjectName} from './wheel.mts';

export type PypiIndexOptions = ListenOptions & (
  /** Directory holding wheels (.whl) and source distributions (.tar.gz, .zip). */
  | {dir: string}
  /** The distributions themselves, by file name. */
  | {files: ReadonlyMap<string, Buffer>}
);

/** Where the distributions are read from. */
interface Source {
  names(): Promise<string[]>;
  read(filename: string): Promise<Buffer>;
}

async function sourceOf(options: {dir: string} | {files: ReadonlyMap<string, Buffer>}): Promise<Source> {
  if ('files' in options) {
    const {files} = options;
    return {names: async () => [...files.keys()], read: async (filename) => files.get(filename)!};
  }
  const {dir} = options;
  // Fail at start, not at the first request, when the directory is missing.
  await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`PyPI index: cannot read the distribution directory ${dir} (${error.code ?? error.message})`);
  });
  return {names: () => readdir(dir), read: (filename) => readFile(join(dir, filename))};
}

export interface RunningPypiIndex extends RunningServer {
  /** The URL to give pip as --index-url: `<url>/simple/`. */
  indexUrl: string;
}

interface Distribution {
  filename: string;
  project: string;
  version: string;
}

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const HTML_TYPES = ['application/vnd.pypi.simple.v1+html', 'text/html'];

/** Name and version from a wheel (`name-ver-tags.whl`) or sdist (`name-ver.tar.gz`) file name. */
export function parseDistributionFilename(filename: string): Distribution | null {
  const wheel = /^([^-]+)-([^-]+)-.+\.whl$/.exec(filename);
  const sdist = /^(.+)-([^-]+)\.(?:tar\.gz|zip)$/.exec(filename);
  const match = wheel ?? sdist;
  return match === null ? null : {filename, project: normalizeProjectName(match[1]), version: match[2]};
}

async function distributions(source: Source): Promise<Distribution[]> {
  const names = (await source.names()).sort();
  return names.map(parseDistributionFilename).filter((d): d is Distribution => d !== null);
}

/** PEP 691 content negotiation: the supported type with the highest q; HTML when nothing matches. */
export function chooseFormat(accept: string | undefined): 'json' | {html: string} {
  let best: {type: string; q: number} = {type: 'text/html', q: 0};
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const known = type === JSON_TYPE || HTML_TYPES.includes(type);
    if (known && q > best.q) best = {type, q};
  }
  return best.type === JSON_TYPE ? 'json' : {html: best.type};
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function sendHtml(req: IncomingMessage, res: ServerResponse, type: string, title: string, links: Array<[string, string]>): void {
  const anchors = links.map(([href, text]) => `    <a href="${escapeHtml(href)}">${escapeHtml(text)}</a><br/>\n`).join('');
  const html =
    '<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.1">\n' +
    `    <title>${escapeHtml(title)}</title>\n  </head>\n  <body>\n    <h1>${escapeHtml(title)}</h1>\n${anchors}  </body>\n</html>\n`;
  sendBody(req, res, 200, Buffer.from(html), {'Content-Type': `${type}; charset=utf-8`, Vary: 'Accept'});
}

function sendProjectList(req: IncomingMessage, res: ServerResponse, dists: Distribution[]): void {
  const projects = [...new Set(dists.map((d) => d.project))];
  const format = chooseFormat(req.headers.accept);
  if (format === 'json') {
    sendJson(req, res, 200, {meta: {'api-version': '1.1'}, projects: projects.map((name) => ({name}))}, {
      'Content-Type': JSON_TYPE,
      Vary: 'Accept',
    });
  } else {
    sendHtml(req, res, format.html, 'Simple index', projects.map((p) => [`/simple/${p}/`, p]));
  }
}

async function sendProjectPage(req: IncomingMessage, res: ServerResponse, source: Source, project: string, dists: Distribution[]): Promise<void> {
  const files = await Promise.all(
    dists.map(async (d) => {
      const bytes = await source.read(d.filename);
      return {...d, size: bytes.length, sha256: sha256(bytes)};
    }),
  );
  const format = chooseFormat(req.headers.accept);
  if (format === 'json') {
    sendJson(
      req,
      res,
      200,
      {
        meta: {'api-version': '1.1'},
        name: project,
        versions: [...new Set(files.map((f) => f.version))],
        files: files.map((f) => ({filename: f.filename, url: `/files/${f.filename}`, hashes: {sha256: f.sha256}, size: f.size})),
      },
      {'Content-Type': JSON_TYPE, Vary: 'Accept'},
    );
  } else {
    sendHtml(req, res, format.html, `Links for ${project}`, files.map((f) => [`/files/${f.filename}#sha256=${f.sha256}`, f.filename]));
  }
}

export async function startPypiIndex(options: PypiIndexOptions): Promise<RunningPypiIndex> {
  const source = await sourceOf(options);
  const server = await listen(async (req, res, url) => {
    if (!allowOnly(req, res, ['GET', 'HEAD'])) return;
    const segments = pathSegments(url);
    if (segments === null) {
      sendText(res, 400, `malformed percent-encoding in ${url.pathname}\n`);
      return;
    }
    const dists = await distributions(source);
    const [root, name, ...rest] = segments;
    if (root === 'simple' && (name === undefined || (name === '' && rest.length === 0))) {
      if (name === undefined) res.writeHead(301, {Location: '/simple/'}).end();
      else sendProjectList(req, res, dists);
    } else if (root === 'simple' && rest.length <= 1 && (rest[0] ?? '') === '') {
      const project = normalizeProjectName(name);
      const own = dists.filter((d) => d.project === project);
      if (own.length === 0) sendText(res, 404, `no project named ${name}\n`);
      else if (project !== name || rest.length === 0) res.writeHead(301, {Location: `/simple/${project}/`}).end();
      else await sendProjectPage(req, res, source, project, own);
    } else if (root === 'files' && name !== undefined && rest.length === 0 && dists.some((d) => d.filename === name)) {
      const type = name.endsWith('.whl') || name.endsWith('.zip') ? 'application/zip' : 'application/gzip';
      sendFile(req, res, await source.read(name), {'Content-Type': type});
    } else {
      sendText(res, 404, `not found: ${url.pathname}\n`);
    }
  }, {port: options.port, host: options.host});
  return {...server, indexUrl: `${server.url}/simple/`};
}
