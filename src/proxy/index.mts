// src/proxy's public surface: each client's proxy decision, the NO_PROXY merge, credential
// redaction and pasted variables. The browser bundle imports it too (the proxy checker), so
// nothing here may import a node: module (tests/structure/module-boundaries checks).
export {SOCKSIO_ERROR} from './clients/httpx.mts';
export {REQUESTS_SOCKS_ERROR} from './clients/python.mts';
export {type ConfiguredProxy, proxiesToProbe} from './configured.mts';
export {proxyVariables} from './env.mts';
export {mergeEnvNoProxy, mergeNoProxy} from './merge-no-proxy.mts';
export {formatEnvText, type IgnoredLine, parseEnvText, parseUrlText, type PastedUrl, shellQuote} from './pasted.mts';
export {type ClientId, CLIENTS, type Installed, type Outcome, predict, predictAll, type Prediction, type PredictOptions, type VersionedPackage} from './predict.mts';
export {proxySecrets, redact, redactValue, userinfoSecrets} from './redact.mts';
export {inIPv4Network, isIPv4, isIPv6} from './target.mts';
