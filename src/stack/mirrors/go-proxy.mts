// A Go module proxy stand-in (what GOPROXY points at), speaking the GOPROXY protocol for one tiny
// module. check-mirrors probes golang.org/x/text, so that is the module path served; its content is
// our own two files, under a version no real proxy has.
//   GET/HEAD  /{module}/@v/list               the versions, one a line
//   GET/HEAD  /{module}/@v/{version}.info     {Version, Time}
//   GET/HEAD  /{module}/@v/{version}.mod      the go.mod
//   GET/HEAD  /{module}/@v/{version}.zip      the module zip (every file under `{module}@{version}/`)
// Anything else is 404, which `,direct` in GOPROXY falls through.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {allowOnly, listen, sendBody, sendText, type ListenOptions, type RunningServer} from './http.mts';
import {zip} from './zip.mts';

export const GO_MODULE = {path: 'golang.org/x/text', version: 'v0.99.0-standin'} as const;

const GO_MOD = `module ${GO_MODULE.path}\n\ngo 1.19\n`;
const GO_SOURCE = '// Package text is the Go proxy stand-in\'s module.\npackage text\n\n// Hello is what the stand-in serves.\nconst Hello = "mirror"\n';

function moduleZip(): Buffer {
  const prefix = `${GO_MODULE.path}@${GO_MODULE.version}/`;
  return zip([
    {name: `${prefix}go.mod`, data: Buffer.from(GO_MOD)},
    {name: `${prefix}text.go`, data: Buffer.from(GO_SOURCE)},
  ]);
}

/** The proxy; its `url` is the value for GOPROXY (the protocol's paths hang directly off it). */
export function startGoProxy(listenOptions: ListenOptions = {}): Promise<RunningServer> {
  const base = `/${GO_MODULE.path}/@v/`;
  const files: Record<string, {type: string; body: Buffer}> = {
    [`${base}list`]: {type: 'text/plain; charset=utf-8', body: Buffer.from(`${GO_MODULE.version}\n`)},
    [`${base}${GO_MODULE.version}.info`]: {type: 'application/json', body: Buffer.from(JSON.stringify({Version: GO_MODULE.version, Time: '2026-01-01T00:00:00Z'}))},
    [`${base}${GO_MODULE.version}.mod`]: {type: 'text/plain; charset=utf-8', body: Buffer.from(GO_MOD)},
    [`${base}${GO_MODULE.version}.zip`]: {type: 'application/zip', body: moduleZip()},
  };
  return listen((req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!allowOnly(req, res, ['GET', 'HEAD'])) return;
    const file = files[url.pathname];
    if (!file) return sendText(res, 404, `not found: ${url.pathname}\n`);
    sendBody(req, res, 200, file.body, {'Content-Type': file.type});
  }, listenOptions);
}
