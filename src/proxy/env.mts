// The eight proxy variables and the few ways clients read them. Each client model picks its own
// reading; the differences (case, precedence, empty values) are the whole point of the module.

export const PROXY_VARIABLES = [
  'http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY',
  'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY',
] as const;

export type ProxyVariable = (typeof PROXY_VARIABLES)[number];

import type {Env} from '../io/browser.mts';

export type {Env};

/** A value a client took, with the variable it came from, for the rule sentence. */
export interface Setting {
  name: string;
  value: string;
}

/** The proxy variables that are set (empty ones included: they change what some clients do). */
export function proxyVariables(env: Env): Setting[] {
  return PROXY_VARIABLES.flatMap((name) => (env[name] === undefined ? [] : [{name, value: env[name]!}]));
}

/** The first of `names` that is set and non-empty: how curl, wget and Go read a variable. */
export function firstNonEmpty(env: Env, ...names: string[]): Setting | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return {name, value};
  }
  return undefined;
}

/** The first of `names` that is set at all, even to '': JavaScript's `a ?? b`, git's var_override. */
export function firstDefined(env: Env, ...names: string[]): Setting | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) return {name, value};
  }
  return undefined;
}

/**
 * CPython's urllib.request.getproxies_environment(), which requests, httpx and aiohttp share:
 * any case counts, a non-empty lowercase variable wins, an empty lowercase one deletes the key
 * even when the uppercase one is set, and under CGI (REQUEST_METHOD set) HTTP_PROXY is dropped.
 */
export function pythonProxies(env: Env): Map<string, Setting> {
  const proxies = new Map<string, Setting>();
  for (const [name, value] of Object.entries(env)) {
    if (value && name.toLowerCase().endsWith('_proxy')) proxies.set(name.slice(0, -6).toLowerCase(), {name, value});
  }
  if (env.REQUEST_METHOD !== undefined) proxies.delete('http');
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.endsWith('_proxy')) continue;
    const key = name.slice(0, -6).toLowerCase();
    if (value) proxies.set(key, {name, value});
    else proxies.delete(key);
  }
  return proxies;
}

/** Splits a no_proxy value on commas, trimming blanks, dropping empty entries. */
export function entries(value: string): string[] {
  return value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}
