// src/env-holders' public surface: the `processes` and `env-holders` commands runbook-netcheck
// dispatches, and what the runner's `--undo` calls to restore what a fix changed.
export {ENV_HOLDERS_USAGE, envHoldersCommand, processesCommand, usesEnvHolders} from './command.mts';
export {undoHolders} from './fix.mts';
