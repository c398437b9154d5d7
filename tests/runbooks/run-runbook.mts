// Runs a generated runbook as a user would (`node runbooks/NAME.mjs …`), with HOME and the state
// directory in a temp dir, and the proxy variables the test chooses.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {clientEnv, runClient, type Ran} from '../stack/with-stack.mts';

export const REPO = path.resolve(import.meta.dirname, '../..');

export interface Home {
  dir: string;
  rc: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A temp HOME with a ~/.bashrc, and an environment that uses it (bash, plain progress lines). */
export function tempHome(proxyVars: Record<string, string>, bashrc = '# the user\'s own line\n'): Home {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-home-'));
  const rc = path.join(dir, '.bashrc');
  fs.writeFileSync(rc, bashrc);
  const env = clientEnv({...proxyVars, HOME: dir, SHELL: '/bin/bash', XDG_STATE_HOME: path.join(dir, 'state'), CI: 'true'});
  return {dir, rc, env, remove: () => fs.rmSync(dir, {recursive: true, force: true})};
}

export function proxyEverything(proxy: string): Record<string, string> {
  return {http_proxy: proxy, https_proxy: proxy, HTTP_PROXY: proxy, HTTPS_PROXY: proxy};
}

export function runRunbook(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Ran> {
  return runClient('node', [path.join(REPO, 'runbooks', `${name}.mjs`), ...args], env, timeoutMs);
}

/** A command in a fresh interactive bash, which reads ~/.bashrc as a new terminal would. */
export function inFreshBash(command: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  const fresh = {...env};
  delete fresh.no_proxy;
  delete fresh.NO_PROXY;
  return runClient('bash', ['-i', '-c', command], fresh);
}

export interface StepResult {
  id: string;
  status: string;
  output: string;
  message: string;
}

export function jsonReport(ran: Ran): {exitCode: number; steps: StepResult[]} {
  return JSON.parse(ran.stdout);
}
