// src/startup-file's public surface: which startup file a shell reads, the marked block in it, and
// the environment a fresh shell reading it gets.
export {rcTarget, type Shell, type StartupFile} from './detect.mts';
export {applyBlock, readBlock, readBlocks, removeBlock} from './edit.mts';
export {blockValues, freshShellEnv} from './fresh-shell.mts';
