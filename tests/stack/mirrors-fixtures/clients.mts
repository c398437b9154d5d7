// Runs the real clients (curl, pip, huggingface_hub) against the mirrors with an environment that
// holds only what the test chooses: no inherited proxy, pip configuration or Hugging Face token.
import {run as runProcess, type Ran} from '../../kit/processes.mts';
import {withoutProxyVariables} from '../../kit/proxy-env.mts';

const CLIENT_VARS = /^(pip_.*|hf_.*|huggingface_.*|python(path|home))$/i;

export type ClientResult = Ran;

/** The test process's environment minus proxy, pip and HF variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(withoutProxyVariables(process.env))) if (!CLIENT_VARS.test(key)) env[key] = value;
  return {...env, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', ...extra};
}


/** A client's run, its output read as bytes (latin1: one character per byte, see `bytesOf`). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ClientResult> {
  return runProcess(command, args, {env, timeoutMs, encoding: 'latin1'});
}

/** curl's body as raw bytes (latin1 keeps one char per byte). */
export function bytesOf(result: ClientResult): Buffer {
  return Buffer.from(result.stdout, 'latin1');
}

/** pip from Debian's python3-pip, never reading a user's pip.conf, cache or other index. */
export function pip(args: string[], env: NodeJS.ProcessEnv): Promise<ClientResult> {
  return run('/usr/bin/python3', ['-m', 'pip', ...args, '--isolated', '--no-cache-dir', '--disable-pip-version-check'], env, 120_000);
}

/**
 * The first Python that can import huggingface_hub: $HF_HUB_PYTHON, then Debian's and the PATH's
 * python3. Returns the interpreter and the client's version, or null with the places looked at.
 */
export async function findHfPython(): Promise<{python: string; version: string} | {python: null; looked: string[]}> {
  const candidates = [process.env.HF_HUB_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => Boolean(p));
  for (const python of candidates) {
    const probe = await run(python, ['-c', 'import huggingface_hub; print(huggingface_hub.__version__)'], cleanEnv(), 30_000);
    if (probe.code === 0) return {python, version: probe.stdout.trim()};
  }
  return {python: null, looked: candidates};
}

/** The first of `candidates` that imports every module, or null. */
export async function findPython(modules: string[], candidates: (string | undefined)[]): Promise<string | null> {
  for (const python of candidates.filter((p): p is string => Boolean(p))) {
    const probe = await run(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], cleanEnv(), 30_000);
    if (probe.code === 0) return python;
  }
  return null;
}
