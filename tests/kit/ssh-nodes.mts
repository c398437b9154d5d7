// "Nodes" for the cluster tests and bench: one sshd on 127.0.0.1 (its own host key and config,
// `-D -e`, killed by stop()) and one local user per node (useradd, its own HOME, login shell and
// startup file), plus inventory hosts whose port nothing listens on (down: at their own cluster
// address, which no server binds, so a port another process takes on 127.0.0.1 cannot answer).
// Needs root, sshd and the shells; what it creates lives in one temp dir, except the users, which are reused by name:
// so one cluster at a time on this machine (another suite's, a bench's waits for the lock).
import {spawn, type ChildProcess} from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {tryAcquireLock, type Release} from '../../src/io/file-lock.mts';
import {freePort} from '../../src/stack/free-port.mts';
import {runClient} from './processes.mts';
import {withoutProxyVariables} from './proxy-env.mts';
import {waitFor} from './wait.mts';

export type NodeShell = 'bash' | 'zsh' | 'fish';

export interface NodeSpec {
  /** Inventory name; the user is `llmnr-<name>`. */
  name: string;
  shell: NodeShell;
  /** The startup file's content (the shell's own: .bashrc, .zshrc, config.fish). */
  startupFile: string;
  /** The node's cluster address (the inventory's node_address). */
  address: string;
  /** More inventory variables for this host. */
  hostVars?: Record<string, string>;
}

export interface SshNode extends NodeSpec {
  user: string;
  home: string;
  rc: string;
}

export interface SshCluster {
  dir: string;
  port: number;
  inventory: string;
  key: string;
  nodes: SshNode[];
  /** The ssh command line that runs `command` as a node's user, through its login shell. */
  ssh(node: SshNode, command: string, timeoutMs?: number): ReturnType<typeof runClient>;
  stop(): Promise<void>;
}

const SHELLS: Record<NodeShell, {bin: string; rc: string}> = {
  bash: {bin: '/bin/bash', rc: '.bashrc'},
  zsh: {bin: '/usr/bin/zsh', rc: '.zshrc'},
  fish: {bin: '/usr/bin/fish', rc: '.config/fish/config.fish'},
};

/** What is missing to run these nodes here, or null. */
export function sshNodesMissing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (useradd)';
  for (const [file, pkg] of [['/usr/sbin/sshd', 'openssh-server'], ['/usr/bin/ansible-playbook', 'ansible'], ['/usr/bin/zsh', 'zsh'], ['/usr/bin/fish', 'fish']]) {
    if (!fs.existsSync(file)) return `${file} missing: apt-get install ${pkg}`;
  }
  // The nodes' users run this Node (the tests pass process.execPath as node_command).
  for (let dir = process.execPath; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return `${process.execPath} cannot be run by other users (${dir} is not world-executable)`;
  }
  return null;
}

async function must(command: string, args: string[]): Promise<string> {
  const ran = await runClient(command, args, process.env, 30_000);
  if (ran.code !== 0) throw new Error(`${command} ${args.join(' ')}: exit ${ran.code}: ${ran.stderr.trim()}`);
  return ran.stdout;
}

async function ensureUser(user: string, home: string, shell: string): Promise<void> {
  const exists = (await runClient('id', ['-u', user], process.env)).code === 0;
  // '*': no password, yet not locked (sshd without PAM refuses keys for a locked account).
  if (exists) await must('usermod', ['-d', home, '-s', shell, '-p', '*', user]);
  else await must('useradd', ['-M', '-d', home, '-s', shell, '-p', '*', user]);
}

async function listening(port: number, child: ChildProcess, stderr: () => string, timeoutMs = 30_000): Promise<void> {
  const connects = () => new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
  const {met} = await waitFor(connects, (ok) => ok || child.exitCode !== null, timeoutMs, 50);
  if (child.exitCode !== null) throw new Error(`sshd exited ${child.exitCode}: ${stderr()}`);
  if (!met) throw new Error(`sshd did not listen on ${port} within ${timeoutMs} ms: ${stderr()}`);
}

/** The machine's lock on the nodes' users (their HOME is repointed at each start). */
const USERS_LOCK = path.join(os.tmpdir(), 'llm-network-runbooks-ssh-nodes');

async function lockUsers(timeoutMs = 180_000): Promise<Release> {
  const {value} = await waitFor(() => tryAcquireLock(USERS_LOCK), (release) => release !== undefined, timeoutMs, 250);
  if (!value) throw new Error(`the SSH nodes' users are in use by another run for ${timeoutMs / 1000} s (lock beside ${USERS_LOCK})`);
  return value;
}

export async function startSshCluster(specs: NodeSpec[], down: {name: string; address: string}[] = [], allVars: Record<string, string> = {}): Promise<SshCluster> {
  const release = await lockUsers();
  try {
    return await startLocked(specs, down, allVars, release);
  } catch (error) {
    release();
    throw error;
  }
}

async function startLocked(specs: NodeSpec[], down: {name: string; address: string}[], allVars: Record<string, string>, release: Release): Promise<SshCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssh-nodes-'));
  fs.chmodSync(dir, 0o755);
  const key = path.join(dir, 'id_ed25519');
  await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
  fs.copyFileSync(`${key}.pub`, path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);

  const nodes: SshNode[] = [];
  for (const spec of specs) {
    const user = `llmnr-${spec.name}`;
    const home = path.join(dir, 'home', spec.name);
    const rc = path.join(home, SHELLS[spec.shell].rc);
    fs.mkdirSync(path.dirname(rc), {recursive: true});
    fs.writeFileSync(rc, spec.startupFile);
    await ensureUser(user, home, SHELLS[spec.shell].bin);
    await must('chown', ['-R', `${user}:`, home]);
    nodes.push({...spec, user, home, rc});
  }
  fs.chmodSync(path.join(dir, 'home'), 0o755);

  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', `AllowUsers ${nodes.map((n) => n.user).join(' ')}`,
    'Subsystem sftp /usr/lib/openssh/sftp-server', 'MaxStartups 100:30:200', 'LogLevel ERROR', '',
  ].join('\n'));
  fs.mkdirSync('/run/sshd', {recursive: true, mode: 0o755});
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '/usr/sbin/sshd', '-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']});
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  await listening(port, child, () => stderr);

  const downPorts = await Promise.all(down.map(() => freePort()));
  // %C: a hash of host, port and user, short enough for a socket path.
  const controlPath = path.join(dir, 'cm-%C');
  const inventory = path.join(dir, 'inventory.ini');
  fs.writeFileSync(inventory, [
    '[nodes]',
    ...nodes.map((n) => [`${n.name} ansible_host=127.0.0.1 ansible_port=${port} ansible_user=${n.user} node_address=${n.address}`,
      ...Object.entries(n.hostVars ?? {}).map(([k, v]) => `${k}=${v}`)].join(' ')),
    ...down.map((d, i) => `${d.name} ansible_host=${d.address} ansible_port=${downPorts[i]} ansible_user=llmnr-${d.name} node_address=${d.address}`),
    '',
    '[all:vars]',
    `ansible_ssh_private_key_file=${key}`,
    'ansible_python_interpreter=/usr/bin/python3',
    ...Object.entries(allVars).map(([k, v]) => `${k}=${v}`),
    // One SSH connection per node for the whole run (its master stopped by stop()); the nodes' host
    // key is new every run.
    `ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ControlMaster=auto -o ControlPath=${controlPath} -o ControlPersist=120 -o ConnectTimeout=10'`,
    '',
  ].join('\n'));

  const sshArgs = (node: SshNode, command: string) => [
    '-q', '-p', String(port), '-i', key, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes',
    `${node.user}@127.0.0.1`, command,
  ];
  return {
    dir, port, inventory, key, nodes,
    ssh: (node, command, timeoutMs = 60_000) => runClient('ssh', sshArgs(node, command), process.env, timeoutMs),
    stop: async () => {
      await Promise.all(nodes.map((node) => runClient('ssh', ['-o', `ControlPath=${controlPath}`, '-p', String(port), '-O', 'exit', `${node.user}@127.0.0.1`], process.env, 10_000)));
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, {recursive: true, force: true});
      release();
    },
  };
}

/** The environment ansible-playbook runs with: this one without proxy variables, Ansible's local
 *  files in `dir`, no colour, no host key prompts. */
export function ansibleEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...withoutProxyVariables(process.env),
    ANSIBLE_LOCAL_TEMP: path.join(dir, 'ansible-local'),
    ANSIBLE_HOME: path.join(dir, 'ansible-home'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    // One SSH session per task instead of three or four (make a temp dir, copy the module, run it,
    // remove it): most of a playbook run's CPU here is SSH handshakes, on both ends.
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_CONFIG: path.join(dir, 'no-ansible.cfg'),
    CI: 'true',
  };
}
