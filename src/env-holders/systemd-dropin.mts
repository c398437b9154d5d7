// A systemd unit's environment does not come from any shell: a drop-in beside the unit sets
// NO_PROXY and no_proxy for it. The runbook writes the drop-in and prints the daemon-reload and
// restart line; it never restarts a service itself.
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {UsageError} from '../io/command-line.mts';

export const DROPIN_NAME = 'llm-network-runbooks-no-proxy.conf';

export interface UnitTarget {
  unit: string;
  user: boolean;
  file: string;
}

/** `NAME` or `NAME.service`; the drop-in goes to the system's units as root, else the user's
 *  (`--user`: the user's manager even as root). */
export function unitTarget(name: string, user: boolean, env: Env): UnitTarget {
  if (!/^[A-Za-z0-9:_.@-]+$/.test(name)) throw new UsageError(`--unit ${name}: not a unit name`);
  const unit = /\.(service|socket|timer|mount|target|path|scope|slice)$/.test(name) ? name : `${name}.service`;
  const userScope = user || process.getuid?.() !== 0;
  const config = env.XDG_CONFIG_HOME || (env.HOME ? path.join(env.HOME, '.config') : null);
  if (userScope && !config) throw new UsageError('--unit: HOME is not set, so the user\'s systemd folder is unknown');
  const dir = userScope ? path.join(config!, 'systemd', 'user') : '/etc/systemd/system';
  return {unit, user: userScope, file: path.join(dir, `${unit}.d`, DROPIN_NAME)};
}

// systemd unquotes C-style escapes in Environment= and expands `%` specifiers (`%h`) in it.
function quoted(assignment: string): string {
  return `"${assignment.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%')}"`;
}

export function dropinText(noProxy: string): string {
  return [
    '# Written by the fix-noproxy runbook (llm-network-runbooks); its --undo removes this file.',
    '[Service]',
    `Environment=${quoted(`NO_PROXY=${noProxy}`)} ${quoted(`no_proxy=${noProxy}`)}`,
    '',
  ].join('\n');
}

/** The line to run so the service starts with the drop-in. */
export function restartLine(target: UnitTarget): string {
  const ctl = target.user ? 'systemctl --user' : 'systemctl';
  return `${ctl} daemon-reload && ${ctl} restart ${target.unit}`;
}
