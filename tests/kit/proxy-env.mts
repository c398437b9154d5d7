// Proxy variables for the client processes tests start, built from src/proxy's list of the eight
// variables clients read (src/proxy/env.mts), so no test keeps a list of its own.
import {PROXY_VARIABLES} from '../../src/proxy/env.mts';

/** `env` without any of the proxy variables, plus `extra`. */
export function withoutProxyVariables(env: NodeJS.ProcessEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = {...env};
  for (const name of PROXY_VARIABLES) delete kept[name];
  return {...kept, ...extra};
}

/** The variables a person exports to send every http and https request through `proxy`, both cases. */
export function proxyEverything(proxy: string): Record<string, string> {
  return Object.fromEntries(PROXY_VARIABLES.filter((name) => /^https?_proxy$/i.test(name)).map((name) => [name, proxy]));
}
