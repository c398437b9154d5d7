// ~/.docker/config.json: the Docker CLI copies `proxies.default` (httpProxy, httpsProxy, noProxy…)
// into the environment of every container it starts, whatever the host shell says. When the file
// sets proxies, the NO_PROXY value is merged into each proxies entry's `noProxy`; every other key
// (auths, credsStore, unknown ones) is kept, and so is the file's indentation.
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {mergeNoProxy} from '../proxy/merge-no-proxy.mts';

const PROXY_KEYS = ['httpProxy', 'httpsProxy', 'ftpProxy', 'allProxy'];

export function dockerConfigFile(env: Env): string | null {
  if (env.DOCKER_CONFIG) return path.join(env.DOCKER_CONFIG, 'config.json');
  return env.HOME ? path.join(env.HOME, '.docker', 'config.json') : null;
}

export class InvalidDockerConfig extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function indentOf(text: string): string {
  return /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? '\t';
}

/** The file's text with `noProxy` merged, or null when it sets no proxy or needs no change. */
export function mergeDockerNoProxy(file: string, text: string, noProxy: string): string | null {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new InvalidDockerConfig(`${file} is not valid JSON (${(error as Error).message}): nothing written`);
  }
  if (!isObject(config)) throw new InvalidDockerConfig(`${file} is not a JSON object: nothing written`);
  if (config.proxies === undefined) return null;
  if (!isObject(config.proxies)) throw new InvalidDockerConfig(`${file}: "proxies" is not an object: nothing written`);
  let changed = false;
  for (const entry of Object.values(config.proxies)) {
    if (!isObject(entry) || !PROXY_KEYS.some((k) => typeof entry[k] === 'string' && entry[k] !== '')) continue;
    const existing = typeof entry.noProxy === 'string' ? entry.noProxy : '';
    const merged = mergeNoProxy(existing, [noProxy]).value;
    if (merged !== existing) {
      entry.noProxy = merged;
      changed = true;
    }
  }
  if (!changed) return null;
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(config, null, indentOf(text)).replaceAll('\n', newline);
  return /\r?\n$/.test(text) ? `${body}${newline}` : body;
}
