// The part of src/io's public surface that imports no Node module: for code that runs in the
// browser too (src/proxy, which the proxy checker bundles) or must stay free of Node (src/plan).
// Everything here is also exported by index.mts, the entry the rest of src/ imports.
export type {Env} from './env.mts';
export {escapeRegex, shellQuote} from './text.mts';
