// Locates the Squid binary. Without it the stack cannot reproduce the proxy failures, so the error
// says exactly how to install it; tests use `squidMissingReason()` to report themselves as skipped.
import {accessSync, constants} from 'node:fs';
import path from 'node:path';

export const INSTALL_SQUID_HINT = 'Squid is not installed: run `apt-get install -y squid` (Debian/Ubuntu), or set SQUID_BIN to its path.';

export class SquidMissingError extends Error {}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The squid binary: $SQUID_BIN, else `squid` on PATH or in /usr/sbin and /usr/local/sbin. */
export function findSquid(): string {
  const fromEnv = process.env.SQUID_BIN;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new SquidMissingError(`SQUID_BIN=${fromEnv} is not an executable file. ${INSTALL_SQUID_HINT}`);
  }
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  const found = dirs.filter(Boolean).map((dir) => path.join(dir, 'squid')).find(isExecutable);
  if (!found) throw new SquidMissingError(INSTALL_SQUID_HINT);
  return found;
}

/** Why Squid-dependent tests must skip, or undefined when Squid is available. */
export function squidMissingReason(): string | undefined {
  try {
    findSquid();
    return undefined;
  } catch (error) {
    if (error instanceof SquidMissingError) return error.message;
    throw error;
  }
}
