// Java's HttpURLConnection and HttpClient (OpenJDK 17): the environment plays no part.
import {type Decision, direct} from '../decision.mts';
import type {Env} from '../env.mts';
import type {Target} from '../target.mts';

export function java(_target: Target, _env: Env): Decision {
  return direct('Java ignores the proxy variables; only -Dhttp.proxyHost (with http.nonProxyHosts, which always exempts localhost, 127.*, [::1] and 0.0.0.0) sets a proxy');
}
