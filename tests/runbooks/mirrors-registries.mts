// The two remaining endpoints check-mirrors probes, as stand-ins beside src/stack/mirrors' HF
// endpoint and PyPI index: a Go module proxy (the GOPROXY protocol: @v/list, .info, .mod, .zip)
// serving one tiny module, and an npm registry serving one package document. The probe asks the
// Go proxy for golang.org/x/text, so that is the module path the stand-in serves; its content is
// our own two files. Real clients use both (`go mod download`, `npm view`): see the tests.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {listen, sendBody, sendJson, sendText, type RunningServer} from '../../src/stack/mirrors/http.mts';
import {zip} from '../../src/stack/mirrors/zip.mts';

export const GO_MODULE = {path: 'golang.org/x/text', version: 'v0.99.0-standin'} as const;
export const NPM_PACKAGE = {name: 'tinypkg', version: '0.1.0'} as const;

const GO_MOD = `module ${GO_MODULE.path}\n\ngo 1.19\n`;
const GO_SOURCE = '// Package text is the Go proxy stand-in\'s module.\npackage text\n\n// Hello is what the stand-in serves.\nconst Hello = "mirror"\n';

/** The module zip as the GOPROXY protocol defines it: every file under `path@version/`. */
function moduleZip(): Buffer {
  const prefix = `${GO_MODULE.path}@${GO_MODULE.version}/`;
  return zip([
    {name: `${prefix}go.mod`, data: Buffer.from(GO_MOD)},
    {name: `${prefix}text.go`, data: Buffer.from(GO_SOURCE)},
  ]);
}

export function startGoProxy(): Promise<RunningServer> {
  const base = `/${GO_MODULE.path}/@v/`;
  const files: Record<string, {type: string; body: Buffer}> = {
    [`${base}list`]: {type: 'text/plain; charset=utf-8', body: Buffer.from(`${GO_MODULE.version}\n`)},
    [`${base}${GO_MODULE.version}.info`]: {type: 'application/json', body: Buffer.from(JSON.stringify({Version: GO_MODULE.version, Time: '2026-01-01T00:00:00Z'}))},
    [`${base}${GO_MODULE.version}.mod`]: {type: 'text/plain; charset=utf-8', body: Buffer.from(GO_MOD)},
    [`${base}${GO_MODULE.version}.zip`]: {type: 'application/zip', body: moduleZip()},
  };
  return listen((req: IncomingMessage, res: ServerResponse, url: URL) => {
    const file = files[url.pathname];
    // A proxy answers 404 (or 410) for what it does not have; `,direct` in GOPROXY then falls through.
    if (!file) return sendText(res, 404, `not found: ${url.pathname}\n`);
    sendBody(req, res, 200, file.body, {'Content-Type': file.type});
  });
}

export function startNpmRegistry(): Promise<RunningServer> {
  return listen((req: IncomingMessage, res: ServerResponse, url: URL) => {
    const server = `http://${req.headers.host}`;
    if (url.pathname === '/') return sendJson(req, res, 200, {db_name: 'registry'});
    if (url.pathname !== `/${NPM_PACKAGE.name}`) return sendJson(req, res, 404, {error: 'Not found'});
    const {name, version} = NPM_PACKAGE;
    sendJson(req, res, 200, {
      name,
      'dist-tags': {latest: version},
      versions: {[version]: {name, version, dist: {tarball: `${server}/${name}/-/${name}-${version}.tgz`}}},
    });
  });
}
