// An npm registry stand-in (what npm_config_registry / `npm config set registry` point at) serving
// one package document, enough for check-mirrors' probe (`GET /`) and `npm view`.
//   GET/HEAD  /            registry root ({db_name})
//   GET/HEAD  /{package}   the packument: dist-tags and versions, tarball URLs on the host asked
import type {IncomingMessage, ServerResponse} from 'node:http';
import {allowOnly, listen, sendJson, type ListenOptions, type RunningServer} from './http.mts';

export const NPM_PACKAGE = {name: 'tinypkg', version: '0.1.0'} as const;

export interface RunningNpmRegistry extends RunningServer {
  /** The value for npm_config_registry: `<url>/`, the trailing slash npm itself writes. */
  registryUrl: string;
}

export async function startNpmRegistry(listenOptions: ListenOptions = {}): Promise<RunningNpmRegistry> {
  const server = await listen((req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!allowOnly(req, res, ['GET', 'HEAD'])) return;
    if (url.pathname === '/') return sendJson(req, res, 200, {db_name: 'registry'});
    if (url.pathname !== `/${NPM_PACKAGE.name}`) return sendJson(req, res, 404, {error: 'Not found'});
    const {name, version} = NPM_PACKAGE;
    const tarball = `http://${req.headers.host}/${name}/-/${name}-${version}.tgz`;
    sendJson(req, res, 200, {name, 'dist-tags': {latest: version}, versions: {[version]: {name, version, dist: {tarball}}}});
  }, listenOptions);
  return {...server, registryUrl: `${server.url}/`};
}
