// What a process is, from the command lines these programs really have in /proc (console
// scripts run by their interpreter, `python -m`, renamed servers), and what is left out.
import {describe, expect, it} from 'vitest';
import {classify} from '../../src/env-holders/classify.mts';
import {tmuxSocket} from '../../src/env-holders/tmux.mts';

const PY = '/opt/conda/envs/serve/bin/python3.11';

describe('classify', () => {
  it.each([
    [[PY, '/opt/conda/envs/serve/bin/vllm', 'serve', 'Qwen/Qwen2.5-7B-Instruct', '--port', '8000'], '', 'vllm', 'server'],
    [[PY, '-m', 'vllm.entrypoints.openai.api_server', '--model', 'x'], '', 'vllm', 'server'],
    [['python3', '-u', '-m', 'sglang.launch_server', '--model-path', 'x'], '', 'sglang', 'server'],
    [[PY, '/usr/local/bin/lmdeploy', 'serve', 'api_server', 'x'], '', 'lmdeploy', 'server'],
    [['/usr/local/bin/ollama', 'serve'], '', 'ollama', 'server'],
    [['ollama', 'run', 'qwen2.5'], '', 'ollama-client', 'client'],
    [['/app/llama-server', '-m', 'model.gguf'], '', 'llama-server', 'server'],
    [['text-generation-launcher', '--model-id', 'x'], '', 'text-generation-launcher', 'server'],
    [[PY, '/usr/bin/xinference-local', '--host', '0.0.0.0'], '', 'xinference', 'server'],
    [[PY, '/usr/bin/swift', 'deploy', '--model', 'x'], '', 'swift', 'server'],
    [[PY, '/usr/bin/evalscope', 'perf', '--url', 'http://127.0.0.1:8000'], '', 'evalscope', 'client'],
    [[PY, '-m', 'lm_eval', '--model', 'local-completions'], '', 'lm_eval', 'client'],
    [[PY, 'bench_openai_client.py'], '', 'openai', 'client'],
    [['python3', '-c', 'from openai import OpenAI; OpenAI().models.list()'], '', 'openai', 'client'],
    [[PY, '-m', 'ipykernel_launcher', '-f', '/root/.local/share/jupyter/runtime/kernel-1.json'], '', 'jupyter-kernel', 'client'],
    [[PY, '/usr/local/bin/jupyter-lab', '--no-browser'], '', 'jupyter-server', 'holder'],
    [['tmux', 'new', '-s', 'train'], 'tmux: server', 'tmux', 'holder'],
    [['SCREEN', '-S', 'train'], 'screen', 'screen', 'holder'],
    [['sh', '/root/.vscode-server/cli/servers/Stable-abc/server/bin/code-server', '--start-server'], '', 'vscode-server', 'holder'],
    [['/root/.vscode-server/cli/servers/Stable-abc/server/node', '/root/.vscode-server/cli/servers/Stable-abc/server/out/server-main.js'], '', 'vscode-server', 'holder'],
    [['/usr/bin/dockerd', '-H', 'fd://'], '', 'dockerd', 'holder'],
  ])('%j is %s', (argv, comm, kind, role) => {
    expect(classify(argv, comm)).toMatchObject({kind, role});
  });

  it.each([
    [['tmux', 'attach']], // a tmux client, not the server
    [['screen', '-r']], // the screen client
    [['swift', 'build']], // Apple's Swift compiler
    [['python3', '-m', 'http.server']],
    [['python3', 'train.py', '--lr', '3e-4']],
    [['bash']],
  ])('%j is none of them', (argv) => {
    expect(classify(argv, argv[0])).toBeNull();
  });
});

describe('tmuxSocket', () => {
  it.each([
    [['tmux', '-S', '/tmp/x/sock', 'new'], {}, '/tmp/x/sock'],
    [['tmux', '-L', 'work', 'new'], {TMUX_TMPDIR: '/run/user/1000'}, '/run/user/1000/tmux-1000/work'],
    [['tmux', 'new', '-s', 'train'], {}, '/tmp/tmux-1000/default'],
    [['tmux', 'new', '-L', 'not-a-global-option'], {}, '/tmp/tmux-1000/default'],
  ])('%j with %j: %s', (argv, env, socket) => {
    expect(tmuxSocket(argv, env, 1000)).toBe(socket);
  });
});
