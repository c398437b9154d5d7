// The environment of a process, and the one way this project reads another process's
// environment: `env -0` written to a file (NUL-separated, so values may hold newlines).
import * as fs from 'node:fs';

/** An environment as process.env has it: unset and empty are different things. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The environment an `env -0 > FILE` wrote. */
export function readEnvDump(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const entry of fs.readFileSync(file, 'utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}

