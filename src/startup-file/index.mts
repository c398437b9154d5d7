// src/startup-file's public surface: which startup file a shell reads, the marked block in it, and
// the environment a fresh shell reading it gets.
export {rcTarget, type StartupFile} from './detect.mts';
export {applyBlock, readBlock, removeBlock} from './edit.mts';
export {freshShellEnv} from './fresh-shell.mts';
