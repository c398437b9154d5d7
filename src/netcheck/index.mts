// src/netcheck's public surface: runbook-netcheck as a function the runtime calls, and the cache
// file of detected client versions the runner clears.
export {runNetcheck} from './cli.mts';
export {DETECTED_CACHE, detectInstalled} from './installed.mts';
