// A Go service of a user's own that depends on the Go proxy stand-in's module, with its go.sum
// (as a real service has one committed), and a Go environment whose module cache and HOME are in a
// temp dir (the build cache is the user's: see goEnv).
import {execFileSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {cleanEnv} from '../stack/mirrors-fixtures/clients.mts';
import {GO_MODULE} from '../../src/stack/mirrors/index.mts';
import {runClient} from '../kit/processes.mts';

export interface GoService {
  dir: string;
  /** `go` environment: module cache and HOME in the temp dir; no proxy variables. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  remove(): void;
}

const USER_GOCACHE = execFileSync('go', ['env', 'GOCACHE'], {encoding: 'utf8'}).trim();

function goEnv(root: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    HOME: root,
    GOPATH: path.join(root, 'gopath'),
    GOMODCACHE: path.join(root, 'modcache'),
    GOCACHE: USER_GOCACHE, // the build cache is content-addressed and safe to share; a fresh one rebuilds the standard library
    GOFLAGS: '-modcacherw', // so the temp dir can be removed
    GOTOOLCHAIN: 'local',
    ...extra,
  });
}

/** The service's module (go.mod, main.go printing the module's Hello), its go.sum fetched once through `goproxy`. */
export async function goService(goproxy: string): Promise<GoService> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mirrors-go-'));
  const dir = path.join(root, 'service');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'go.mod'), `module example.com/service\n\ngo 1.19\n\nrequire ${GO_MODULE.path} ${GO_MODULE.version}\n`);
  fs.writeFileSync(path.join(dir, 'main.go'), `package main\n\nimport (\n\t"fmt"\n\n\t"${GO_MODULE.path}"\n)\n\nfunc main() { fmt.Println(text.Hello) }\n`);
  const service = {dir, env: (extra: Record<string, string> = {}) => goEnv(root, extra), remove: () => fs.rmSync(root, {recursive: true, force: true})};
  // The stand-in's module is in no checksum database: record its sums once, then empty the cache.
  const tidy = await runClient('go', ['mod', 'tidy'], service.env({GOPROXY: goproxy, GOSUMDB: 'off'}), 120_000, dir);
  if (tidy.code !== 0) {
    service.remove();
    throw new Error(`go mod tidy failed: ${tidy.stderr}`);
  }
  fs.rmSync(path.join(root, 'modcache'), {recursive: true, force: true});
  return service;
}
