// `runbook-netcheck env-holders fix|undo`: puts the NO_PROXY value where the environment of
// processes that never read the startup file lives, and takes it back. fix-noproxy's `holders`
// step runs `fix` (after the runner asked, or with --yes); the runner's --undo runs `undo`.
//   - each running tmux server of yours: its global environment (new windows and panes);
//   - ~/.docker/config.json, when it sets proxies: noProxy merged (docker-config.mts);
//   - with --unit NAME: a systemd drop-in (systemd-dropin.mts), and the restart line to run.
// Files go through src/io's safe writer (backup, temp file + rename); a change is recorded
// before the next one is made, so an interrupted fix can still be undone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type {Env} from '../io/env.mts';
import {sha256} from '../io/hash.mts';
import {readIfExists, timestampedBackup, writeFileSafely} from '../io/safe-write.mts';
import {mergeEnvNoProxy} from '../proxy/merge-no-proxy.mts';
import {dockerConfigFile, mergeDockerNoProxy} from './docker-config.mts';
import {scanProcesses} from './scan.mts';
import {holdersStateFile, readHoldersState, writeHoldersState, type FileRecord, type HoldersState} from './state.mts';
import {dropinText, restartLine, unitTarget} from './systemd-dropin.mts';
import {readTmuxGlobal, sameTmuxValue, tmuxSocket, writeTmuxGlobal, type TmuxValue} from './tmux.mts';

const NAMES = ['NO_PROXY', 'no_proxy'] as const;

export interface HoldersResult {
  lines: string[];
  /** Something could not be done (fix) or was left alone (undo). */
  problem: boolean;
}

export interface FixOptions {
  noProxy: string;
  unit: string | null;
  userUnit: boolean;
}

function valueText(v: TmuxValue): string {
  return 'value' in v ? JSON.stringify(v.value) : 'unset' in v ? 'unset' : 'removed (-r)';
}

/** The sockets of the running tmux servers of this user (same uid and HOME). */
function yourTmuxSockets(env: Env): {pid: number; socket: string}[] {
  const uid = process.getuid?.() ?? -1;
  return scanProcesses()
    .filter((p) => p.kind === 'tmux' && p.uid === uid && p.env && (!p.env.HOME || p.env.HOME === env.HOME))
    .map((p) => ({pid: p.pid, socket: tmuxSocket(p.argv, p.env!, p.uid)}))
    .filter((s, i, all) => all.findIndex((o) => o.socket === s.socket) === i);
}

async function fixTmux(state: HoldersState, save: () => void, env: Env, noProxy: string, lines: string[]): Promise<boolean> {
  let problem = false;
  for (const {pid, socket} of yourTmuxSockets(env)) {
    try {
      const current = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await readTmuxGlobal(socket, n)] as const))) as Record<string, TmuxValue>;
      const has = Object.fromEntries(NAMES.map((n) => [n, 'value' in current[n] ? (current[n] as {value: string}).value : undefined]));
      const value = mergeEnvNoProxy([has], [noProxy]).value;
      const toSet = NAMES.filter((n) => has[n] !== value);
      if (toSet.length === 0) {
        lines.push(`tmux server ${pid} (${socket}): NO_PROXY and no_proxy already ${JSON.stringify(value)}`);
        continue;
      }
      for (const name of toSet) {
        const earlier = state.tmux.find((r) => r.socket === socket && r.name === name);
        state.tmux = [...state.tmux.filter((r) => r !== earlier), {socket, name, before: earlier?.before ?? current[name], written: value}];
        save();
        await writeTmuxGlobal(socket, name, {value});
      }
      lines.push(`tmux server ${pid} (${socket}): set ${toSet.join(' and ')} to ${JSON.stringify(value)} in its global environment (was ${toSet.map((n) => valueText(current[n])).join(', ')}); new windows and panes get it, shells already open do not`);
    } catch (error) {
      problem = true;
      lines.push(`tmux server ${pid}: ${(error as Error).message}`);
    }
  }
  return problem;
}

/** Writes `content` to `file` safely, recording the backup from before the runbook's first write
 *  (or that there was no file) and what was written. A file changed since the runbook's last write
 *  (`docker login` rewrites config.json) gets a new backup, so that undo gives back that version. */
function writeRecorded(state: HoldersState, save: () => void, file: string, content: string): string | null {
  const earlier = state.files.find((r) => r.file === file);
  const now = readIfExists(file);
  const changedSince = earlier !== undefined && now !== undefined && sha256(now) !== earlier.sha256;
  const {backup} = writeFileSafely(file, content, now !== undefined ? {backupStem: timestampedBackup} : {});
  const first = earlier && !changedSince ? earlier.backup : (backup ?? null);
  if (earlier?.backup && first !== earlier.backup) fs.rmSync(earlier.backup, {force: true});
  const record: FileRecord = {file, backup: first, sha256: sha256(content)};
  state.files = [...state.files.filter((r) => r !== earlier), record];
  save();
  return backup ?? null;
}

export async function fixHolders(options: FixOptions, env: Env): Promise<HoldersResult> {
  const lines: string[] = [];
  // Everything that can refuse is read before anything is changed.
  const dockerFile = dockerConfigFile(env);
  const dockerText = dockerFile ? readIfExists(dockerFile)?.toString('utf8') : undefined;
  const dockerMerged = dockerFile && dockerText !== undefined ? mergeDockerNoProxy(dockerFile, dockerText, options.noProxy) : null;
  const unit = options.unit ? unitTarget(options.unit, options.userUnit, env) : null;

  const stateAt = holdersStateFile(env);
  const state = readHoldersState(stateAt);
  const save = () => writeHoldersState(stateAt, state);
  let problem = await fixTmux(state, save, env, options.noProxy, lines);
  if (lines.length === 0) lines.push('no tmux server of yours is running');

  if (!dockerFile || dockerText === undefined) lines.push(`${dockerFile ?? '~/.docker/config.json'}: absent, nothing to do (containers get no proxy from it)`);
  else if (dockerMerged === null) lines.push(`${dockerFile}: no change needed (it sets no proxies, or every noProxy already has the value)`);
  else {
    const backup = writeRecorded(state, save, dockerFile, dockerMerged);
    lines.push(`${dockerFile}: merged the value into noProxy of its proxies${backup ? ` (backup: ${backup})` : ''}; containers started from now on get it, running ones keep theirs`);
  }

  if (unit) {
    const text = dropinText(mergeEnvNoProxy([{NO_PROXY: options.noProxy}], []).value);
    const now = readIfExists(unit.file);
    const ours = state.files.find((r) => r.file === unit.file);
    if (now?.toString('utf8') === text) lines.push(`${unit.file}: already in place`);
    else if (now !== undefined && (!ours || sha256(now) !== ours.sha256)) {
      // Edited by hand since the runbook wrote it, or someone else's file: never overwritten.
      problem = true;
      lines.push(`left ${unit.file} alone: it ${ours ? 'changed since the runbook wrote it' : 'was not written by the runbook'}; put Environment="NO_PROXY=${options.noProxy}" "no_proxy=${options.noProxy}" in it by hand, or remove it and run again`);
    } else {
      writeRecorded(state, save, unit.file, text);
      lines.push(`wrote ${unit.file}`);
    }
    lines.push(`now run: ${restartLine(unit)}`);
  }
  return {lines, problem};
}

function restoreFile(record: FileRecord, force: boolean, lines: string[]): boolean {
  const now = readIfExists(record.file);
  if (now === undefined) {
    lines.push(`already gone: ${record.file}`);
    return true;
  }
  if (sha256(now) !== record.sha256 && !force) {
    lines.push(`left ${record.file} alone: it changed since the runbook wrote it${record.backup ? `; the file before the runbook's change is ${record.backup}` : ''}; rerun with --undo --force to restore it anyway`);
    return false;
  }
  if (record.backup) {
    writeFileSafely(record.file, fs.readFileSync(record.backup), force ? {backupStem: (target) => `${target}.runbook-undo-backup`} : {});
    fs.rmSync(record.backup, {force: true});
    lines.push(`restored ${record.file} as it was before the runbook`);
  } else {
    fs.rmSync(record.file);
    try {
      fs.rmdirSync(path.dirname(record.file)); // the NAME.service.d folder, if the drop-in was all it held
    } catch {
      // not empty: other drop-ins stay
    }
    lines.push(`removed ${record.file}`);
  }
  return true;
}

export async function undoHolders(env: Env, force: boolean): Promise<HoldersResult> {
  const stateAt = holdersStateFile(env);
  const state = readHoldersState(stateAt);
  const lines: string[] = [];
  let problem = false;
  const keptTmux = [];
  for (const record of state.tmux) {
    let now: TmuxValue;
    try {
      now = await readTmuxGlobal(record.socket, record.name);
    } catch {
      lines.push(`tmux server at ${record.socket} is gone: nothing to restore for ${record.name}`);
      continue;
    }
    if (!sameTmuxValue(now, {value: record.written}) && !force) {
      lines.push(`left ${record.name} of the tmux server at ${record.socket} alone: it is now ${valueText(now)}, the runbook set ${JSON.stringify(record.written)}; rerun with --undo --force to restore ${valueText(record.before)}`);
      problem = true;
      keptTmux.push(record);
      continue;
    }
    await writeTmuxGlobal(record.socket, record.name, record.before);
    lines.push(`tmux server at ${record.socket}: ${record.name} is ${valueText(record.before)} again`);
  }
  const keptFiles = state.files.filter((record) => !restoreFile(record, force, lines));
  if (keptFiles.length > 0) problem = true;
  writeHoldersState(stateAt, {tmux: keptTmux, files: keptFiles});
  return {lines, problem};
}
