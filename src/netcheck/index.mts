// src/netcheck's public surface: runbook-netcheck as a function the runtime calls, the cache file
// of detected client versions the runner clears, and the loopback model-server probe a resolver uses.
export {readsInstalled, runNetcheck} from './cli.mts';
export {DETECTED_CACHE, detectInstalled, prefetchInstalled} from './installed.mts';
export {findServices, portsToProbe, serviceToCheck} from './find-services.mts';
