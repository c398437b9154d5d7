// What a running process is, from its command line alone (argv[0], the interpreter's script or
// `-m` module, a few words of the rest): a model server, a client of one, or a process whose
// environment later processes inherit (tmux, screen, Jupyter, VS Code servers, dockerd).
// Pure: the /proc reading is in scan.mts.

export type Role = 'server' | 'client' | 'holder';

export type Kind =
  | 'vllm' | 'sglang' | 'lmdeploy' | 'ollama' | 'llama-server' | 'text-generation-launcher' | 'xinference' | 'swift'
  | 'ollama-client' | 'openai' | 'evalscope' | 'lm_eval' | 'jupyter-kernel'
  | 'tmux' | 'screen' | 'jupyter-server' | 'vscode-server' | 'dockerd';

export interface Identity {
  kind: Kind;
  role: Role;
  /** What to call it in a report: `vLLM`, `tmux server`, … */
  label: string;
}

const IDENTITIES: Record<Kind, Omit<Identity, 'kind'>> = {
  'vllm': {role: 'server', label: 'vLLM'},
  'sglang': {role: 'server', label: 'SGLang'},
  'lmdeploy': {role: 'server', label: 'LMDeploy'},
  'ollama': {role: 'server', label: 'Ollama server'},
  'llama-server': {role: 'server', label: 'llama.cpp server'},
  'text-generation-launcher': {role: 'server', label: 'TGI (text-generation-launcher)'},
  'xinference': {role: 'server', label: 'Xinference'},
  'swift': {role: 'server', label: 'ms-swift'},
  'ollama-client': {role: 'client', label: 'ollama CLI'},
  'openai': {role: 'client', label: 'openai SDK client'},
  'evalscope': {role: 'client', label: 'EvalScope'},
  'lm_eval': {role: 'client', label: 'lm-evaluation-harness'},
  'jupyter-kernel': {role: 'client', label: 'Jupyter kernel'},
  'tmux': {role: 'holder', label: 'tmux server'},
  'screen': {role: 'holder', label: 'screen session'},
  'jupyter-server': {role: 'holder', label: 'Jupyter server'},
  'vscode-server': {role: 'holder', label: 'VS Code server'},
  'dockerd': {role: 'holder', label: 'Docker daemon'},
};

const SERVER_NAMES: Record<string, Kind> = {
  'vllm': 'vllm', 'sglang': 'sglang', 'lmdeploy': 'lmdeploy', 'llama-server': 'llama-server',
  'text-generation-launcher': 'text-generation-launcher', 'text-generation-server': 'text-generation-launcher',
  'xinference': 'xinference', 'xinference-local': 'xinference', 'xinference-supervisor': 'xinference',
  'xinference-worker': 'xinference', 'swift': 'swift', 'evalscope': 'evalscope', 'lm_eval': 'lm_eval',
  'lm-eval': 'lm_eval', 'openai': 'openai', 'dockerd': 'dockerd', 'code-server': 'vscode-server',
  'jupyter-lab': 'jupyter-server', 'jupyter-notebook': 'jupyter-server', 'jupyter-server': 'jupyter-server',
};

// `python -m X`: the top package decides.
const MODULES: Record<string, Kind> = {
  'vllm': 'vllm', 'sglang': 'sglang', 'lmdeploy': 'lmdeploy', 'xinference': 'xinference', 'swift': 'swift',
  'evalscope': 'evalscope', 'lm_eval': 'lm_eval', 'openai': 'openai', 'ipykernel_launcher': 'jupyter-kernel',
  'ipykernel': 'jupyter-kernel', 'jupyterlab': 'jupyter-server', 'notebook': 'jupyter-server', 'jupyter_server': 'jupyter-server',
};

function base(arg: string | undefined): string {
  return (arg ?? '').split('/').pop() ?? '';
}

function isPython(arg: string): boolean {
  return /^python[0-9.]*$/.test(base(arg));
}

function identity(kind: Kind): Identity {
  return {kind, ...IDENTITIES[kind]};
}

function byName(name: string, rest: string[]): Identity | null {
  if (name === 'ollama') return identity(rest[0] === 'serve' ? 'ollama' : 'ollama-client');
  // `swift` is also Apple's compiler; only `swift deploy` serves a model.
  if (name === 'swift') return rest[0] === 'deploy' ? identity('swift') : null;
  if (name === 'jupyter' && ['lab', 'notebook', 'server'].includes(rest[0] ?? '')) return identity('jupyter-server');
  if (name === 'SCREEN' || name === 'screen') {
    // The server forks from the client and keeps its argv; the client is attached to a terminal.
    return name === 'SCREEN' ? identity('screen') : null;
  }
  const kind = SERVER_NAMES[name.replace(/\.py$/, '')];
  return kind ? identity(kind) : null;
}

// Options of the interpreter that take a value (`-X dev`, `-W error`).
const PYTHON_VALUE_OPTIONS = new Set(['-X', '-W', '-Q']);

function pythonProgram(args: string[], joined: string): Identity | null {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '-m' && args[i] !== '-c') i += PYTHON_VALUE_OPTIONS.has(args[i]) ? 2 : 1;
  if (args[i] === '-m') {
    const kind = MODULES[(args[i + 1] ?? '').split('.')[0]];
    return kind ? identity(kind) : null;
  }
  if (args[i] !== '-c') {
    const named = args[i] === undefined ? null : byName(base(args[i]), args.slice(i + 1));
    if (named) return named;
  }
  // A user's own script or `-c` code: a client when its text or arguments name the library it drives.
  const words = joined.toLowerCase();
  if (/(?<![a-z])evalscope(?![a-z])/.test(words)) return identity('evalscope');
  if (/(?<![a-z])lm[_-]eval(?![a-z])/.test(words)) return identity('lm_eval');
  if (/(?<![a-z])openai(?![a-z])/.test(words)) return identity('openai');
  return null;
}

/** What the process is, or null when it is none of the kinds that matter here. `comm` is
 *  /proc/PID/comm: tmux renames its server to `tmux: server`. */
export function classify(argv: string[], comm: string): Identity | null {
  if (comm === 'tmux: server') return identity('tmux');
  if (argv.length === 0) return null;
  const joined = argv.join(' ');
  if (/\/\.(vscode|cursor|vscode-insiders)-server\//.test(joined) || /\bcode-server\b/.test(joined)) return identity('vscode-server');
  if (isPython(argv[0])) return pythonProgram(argv.slice(1), joined);
  return byName(base(argv[0]), argv.slice(1));
}
