// Startup files with CRLF, `\r`-only and mixed line endings: fix-noproxy --yes --also writes a
// block in the file's convention whose values carry no `\r` in a fresh bash or zsh, every entry it
// wrote bypasses a proxy that answers like Squid (a real curl from the fresh shell to 127.0.0.2),
// verify checks each entry, and --undo gives the file back byte for byte. The fix runs only the
// steps that write and check the block (`--only persist,verify`): the diagnosis before them does
// not depend on the file's line endings. A block whose value a fresh shell reads with a `\r` (as
// earlier versions wrote it) fails verify.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type {AddressInfo} from 'node:net';
import * as path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runClient} from '../kit/processes.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
import {generatedFile, runRunbook, tempHome} from '../kit/runbooks.mts';

const NETCHECK = await generatedFile(NETCHECK_BIN);

function listen(host: string, handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}
const portOf = (server: http.Server) => (server.address() as AddressInfo).port;

let proxy: http.Server;
let service: http.Server;
let second: http.Server;
beforeAll(async () => {
  proxy = await listen('127.0.0.1', (_req, res) => {
    res.writeHead(503, {'X-Squid-Error': 'ERR_CONNECT_FAIL 111', Server: 'squid'});
    res.end('The requested URL could not be retrieved');
  });
  const answer: http.RequestListener = (_req, res) => {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end('{"object":"list","data":[]}');
  };
  service = await listen('127.0.0.1', answer);
  second = await listen('127.0.0.2', answer);
});
afterAll(async () => {
  await Promise.all([proxy, service, second].map((server) => new Promise((resolve) => server?.close(resolve))));
});

const FILES = {
  'one CRLF line among LF ones (the report)': {text: 'export A=1\n# pasted\r\n', eol: '\n'},
  'CRLF': {text: 'export A=1\r\nalias ll="ls -l"\r\n', eol: '\r\n'},
  'CRLF without a final line ending': {text: 'export A=1\r\nexport B=2', eol: '\r\n'},
  '\\r only': {text: 'export A=1\r# pasted\r', eol: '\r\n'},
  'mostly CRLF, one LF': {text: 'export A=1\r\nexport B=2\nexport C=3\r\n', eol: '\r\n'},
  'one \\r-terminated line': {text: 'export A=1\r', eol: '\r\n'},
} as const;

const CASES = [
  ...Object.keys(FILES).map((name) => ({name: name as keyof typeof FILES, shell: 'bash' as const})),
  {name: 'CRLF' as const, shell: 'zsh' as const},
  {name: 'one \\r-terminated line' as const, shell: 'zsh' as const},
];

describe('fix-noproxy on startup files with CR line endings', () => {
  it.each(CASES)('$name, $shell', async ({name, shell}) => {
    const {text, eol} = FILES[name];
    const proxyUrl = `http://127.0.0.1:${portOf(proxy)}`;
    const home = tempHome({http_proxy: proxyUrl, HTTP_PROXY: proxyUrl});
    const rc = path.join(home.dir, shell === 'bash' ? '.bashrc' : '.zshrc');
    fs.writeFileSync(rc, text);
    const env = {...home.env, SHELL: `/bin/${shell}`};
    try {
      const fix = await runRunbook('fix-noproxy', ['--yes', '--only', 'persist,verify', '--also', '127.0.0.2,gpu01', '--url', `http://127.0.0.1:${portOf(service)}`], env);
      expect(fix.code, fix.stderr).toBe(0);
      expect(fix.stdout + fix.stderr).toMatch(/2 variable\(s\) and \d+ NO_PROXY entries the block writes: all as written/);

      // The block: the file's convention on every line, the file's own bytes untouched before it.
      const after = fs.readFileSync(rc, 'latin1');
      expect(after.startsWith(text)).toBe(true);
      const block = after.slice(after.indexOf('# >>> '));
      expect(block.endsWith(eol)).toBe(true);
      expect(block.split(eol).slice(0, -1).every((line) => !/[\r\n]/.test(line))).toBe(true);

      // A fresh interactive shell: values without \r, and a host added by --also bypasses the proxy.
      const freshCommand = `printf '%s' "$NO_PROXY" | od -c | head -20; curl -sS --max-time 5 -w ' %{http_code}' http://127.0.0.2:${portOf(second)}/v1/models`;
      const freshEnv = {...env, no_proxy: undefined, NO_PROXY: undefined};
      const fresh = shell === 'bash'
        ? await runClient('bash', ['-i', '-c', freshCommand], freshEnv)
        : await runClient('zsh', ['-i', '-c', freshCommand], {...freshEnv, ZDOTDIR: home.dir});
      expect(fresh.stdout).not.toContain('\\r');
      expect(fresh.stdout).toContain('{"object":"list","data":[]} 200');

      const undo = await runRunbook('fix-noproxy', ['--undo', '--yes'], env);
      expect(undo.code, undo.stderr).toBe(0);
      expect(fs.readFileSync(rc, 'latin1')).toBe(text);
    } finally {
      home.remove();
    }
  }, 180_000);

  it('a \\r-only file zsh stops reading at its first line: verify says the block never arrived, exit 1', async () => {
    const proxyUrl = `http://127.0.0.1:${portOf(proxy)}`;
    const home = tempHome({http_proxy: proxyUrl, HTTP_PROXY: proxyUrl});
    fs.writeFileSync(path.join(home.dir, '.zshrc'), 'export A=1\r# pasted\r');
    try {
      const fix = await runRunbook('fix-noproxy', ['--yes', '--only', 'persist,verify', '--url', `http://127.0.0.1:${portOf(service)}`], {...home.env, SHELL: '/bin/zsh'});
      expect(fix.code).toBe(1);
      expect(fix.stdout).toContain('NO_PROXY is unset there, but the block sets "localhost,127.0.0.1,::1,0.0.0.0"');
      expect(fix.stdout).toMatch(/problem remains: verify failed/);
    } finally {
      home.remove();
    }
  }, 120_000);

  it('verify fails, naming the value, when a fresh shell reads a written value with a \\r', async () => {
    const proxyUrl = `http://127.0.0.1:${portOf(proxy)}`;
    const home = tempHome({http_proxy: proxyUrl, HTTP_PROXY: proxyUrl});
    const value = 'localhost,127.0.0.1,::1,0.0.0.0,127.0.0.2';
    // A block as earlier versions wrote it into a CRLF file: the \r ends up in NO_PROXY.
    fs.writeFileSync(home.rc, [
      'export A=1', '# >>> llm-network-runbooks:fix-noproxy-persist >>>', `export no_proxy="${value}"`, `export NO_PROXY="${value}"`,
      '# <<< llm-network-runbooks:fix-noproxy-persist <<<', '',
    ].join('\r\n'));
    try {
      const ran = await runClient(NETCHECK, ['verify', `http://127.0.0.1:${portOf(service)}/v1/models`], home.env, 60_000);
      expect(ran.code, ran.stderr).toBe(1);
      expect(ran.stdout).toContain(`NO_PROXY is "${value}\\r" there, but the block sets "${value}"`);
      expect(ran.stdout).toContain('curl would send requests for 127.0.0.2 through the proxy');
    } finally {
      home.remove();
    }
  }, 120_000);
});
