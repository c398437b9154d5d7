// src/io's public surface: one helper per job (child processes, the command line, environments,
// locks, git, the safe writer, the state folder), used by every program of the project.
export {CommandNotFoundError, commandPath, type CompletedTree, runCommand, runCommandTree, signalRunningCommands, stopRunningTrees, TREE_MARK_VARIABLE} from './child-process.mts';
export {ArgumentError, type OptionSpecs, readCommandLine, RefusedError, runCli, shownValue, UsageError, usageText} from './command-line.mts';
export {type Env, readEnvDump} from './env.mts';
export {acquireLock, LockTimeoutError, type Release, tryAcquireLock, withLock} from './file-lock.mts';
export {fileAtCommit, GitError, hasUncommittedChanges, historySince, isAncestorOfHead, isShallow, lastCommitOf, lastCommitStamp, resolveCommit, topLevel} from './git.mts';
export {sha256} from './hash.mts';
export {fileSystemError, processExists, readIfExists, timestampedBackup, writeFileSafely} from './safe-write.mts';
export {readStateFile, stateDir, writeStateFile} from './state-dir.mts';
export {escapeRegex, shellQuote} from './text.mts';
