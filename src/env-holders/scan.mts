// The processes of this machine that matter for a local model service, read from /proc: each
// one's identity (classify.mts), owner, and environment, or why the environment cannot be read
// (another user's process: the kernel lets only its owner, and root, read /proc/PID/environ).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {classify, type Identity} from './classify.mts';

export interface SeenProcess extends Identity {
  pid: number;
  uid: number;
  /** The command line as the process was started (unredacted: redact before printing). */
  argv: string[];
  /** Its environment at start, or null when it cannot be read (`unreadable` says why). */
  env: Env | null;
  unreadable?: string;
}

function read(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

function nulSeparated(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  return (text.endsWith('\0') ? text.slice(0, -1) : text).split('\0').filter((_, i, all) => all.length > 1 || all[0] !== '');
}

export function parseEnviron(bytes: Buffer): Env {
  const env: Record<string, string> = {};
  for (const entry of nulSeparated(bytes)) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

function ownerUid(status: string): number {
  const match = /^Uid:\s+(\d+)/m.exec(status);
  return match ? Number(match[1]) : -1;
}

function environOf(dir: string, uid: number): {env: Env | null; unreadable?: string} {
  try {
    return {env: parseEnviron(fs.readFileSync(path.join(dir, 'environ')))};
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' ? `permission denied (uid ${uid}'s process: run this as that user, or as root)` : `cannot read its environment (${code ?? (error as Error).message})`;
    return {env: null, unreadable: why};
  }
}

/** Every process under `procRoot` that classify() recognises, in pid order; `self` (this
 *  process and its parent) left out. Processes that end while being read are skipped. */
export function scanProcesses(procRoot = '/proc', self: number[] = [process.pid, process.ppid]): SeenProcess[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(procRoot);
  } catch {
    return [];
  }
  const seen: SeenProcess[] = [];
  for (const pid of entries.filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b)) {
    if (self.includes(pid)) continue;
    const dir = path.join(procRoot, String(pid));
    const cmdline = read(path.join(dir, 'cmdline'));
    if (!cmdline || cmdline.length === 0) continue; // a kernel thread, or gone
    const comm = read(path.join(dir, 'comm'))?.toString('utf8').trim() ?? '';
    const identity = classify(nulSeparated(cmdline), comm);
    if (!identity) continue;
    const status = read(path.join(dir, 'status'));
    if (!status) continue;
    const uid = ownerUid(status.toString('utf8'));
    seen.push({...identity, pid, uid, argv: nulSeparated(cmdline), ...environOf(dir, uid)});
  }
  return seen;
}
