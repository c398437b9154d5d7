// Edits one marked block in a user's shell startup file: backed up, atomic, idempotent, undoable.
//
//   # >>> llm-network-runbooks:<id> >>>
//   export NO_PROXY="…"
//   # <<< llm-network-runbooks:<id> <<<
//
// When the file lacked a trailing newline, apply adds one before the block and says so on the
// opening marker, so that removeBlock can take exactly that newline away again.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Shell = 'bash' | 'zsh' | 'fish';

export interface StartupFile {
  shell: Shell;
  file: string;
  /** Set when $SHELL was missing or unknown and bash was assumed. */
  reason?: string;
}

export interface BlockEdit {
  changed: boolean;
  backup?: string;
}

const MARK = 'llm-network-runbooks';
const ADDED_NEWLINE = ' [newline added above]';
const MAX_SYMLINKS = 40;

export function detectStartupFile(env: {SHELL?: string; HOME?: string; ZDOTDIR?: string}): StartupFile {
  const home = env.HOME;
  if (!home) throw new Error('cannot find the shell startup file: HOME is not set (pass --rc FILE)');
  const name = path.basename(env.SHELL ?? '');
  if (name === 'zsh') return {shell: 'zsh', file: path.join(env.ZDOTDIR || home, '.zshrc')};
  if (name === 'fish') return {shell: 'fish', file: path.join(home, '.config', 'fish', 'config.fish')};
  const file = path.join(home, '.bashrc');
  if (name === 'bash') return {shell: 'bash', file};
  const reason = env.SHELL ? `SHELL=${env.SHELL} is not bash, zsh or fish` : 'SHELL is not set';
  return {shell: 'bash', file, reason: `${reason}; assuming bash (pass --rc FILE to choose)`};
}

export function applyBlock(file: string, id: string, body: string, shell: Shell): BlockEdit {
  checkId(id);
  const target = resolveTarget(file);
  const old = readIfExists(file, target);
  const found = old === undefined ? undefined : findBlock(file, old, id);
  let next: string;
  if (found) {
    const block = renderBlock(id, body, shell, found.eol, found.addedNewline);
    next = old!.slice(0, found.start) + block + old!.slice(found.end);
  } else {
    const content = old ?? '';
    const eol = content.includes('\r\n') ? '\r\n' : '\n';
    const addNewline = content !== '' && !content.endsWith('\n');
    next = content + (addNewline ? eol : '') + renderBlock(id, body, shell, eol, addNewline);
  }
  if (next === old) return {changed: false};
  return writeWithBackup(file, target, old, next);
}

export function removeBlock(file: string, id: string): BlockEdit {
  checkId(id);
  const target = resolveTarget(file);
  const old = readIfExists(file, target);
  const found = old === undefined ? undefined : findBlock(file, old, id);
  if (!found) return {changed: false};
  const start = found.addedNewline && old!.slice(0, found.start).endsWith(found.eol)
    ? found.start - found.eol.length
    : found.start;
  return writeWithBackup(file, target, old, old!.slice(0, start) + old!.slice(found.end));
}

function checkId(id: string): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`invalid block id ${JSON.stringify(id)}: use a-z, 0-9 and -`);
}

function beginMarker(id: string): string {
  return `# >>> ${MARK}:${id} >>>`;
}

function endMarker(id: string): string {
  return `# <<< ${MARK}:${id} <<<`;
}

function renderBlock(id: string, body: string, shell: Shell, eol: string, addedNewline: boolean): string {
  const lines = body.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  for (const line of lines) {
    if (line.includes(`${MARK}:`)) throw new Error(`the block body must not contain a ${MARK} marker: ${line}`);
  }
  const converted = shell === 'fish' ? lines.map(toFish) : lines;
  const all = [beginMarker(id) + (addedNewline ? ADDED_NEWLINE : ''), ...converted, endMarker(id)];
  return all.map((line) => line + eol).join('');
}

/** `export NAME="value"` → `set -gx NAME "value"`; comments and blank lines pass through. */
function toFish(line: string): string {
  if (line.trim() === '' || line.trimStart().startsWith('#')) return line;
  const match = /^(\s*)export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
  if (!match) throw new Error(`cannot write this line for fish (only export NAME="value" lines): ${line}`);
  return `${match[1]}set -gx ${match[2]} ${match[3] === '' ? "''" : match[3]}`;
}

interface FoundBlock {
  start: number;
  end: number;
  eol: string;
  addedNewline: boolean;
}

function findBlock(file: string, text: string, id: string): FoundBlock | undefined {
  const begins = [...text.matchAll(lineRegex(beginMarker(id), `(${escapeRegex(ADDED_NEWLINE)})?`))];
  if (begins.length === 0) return undefined;
  if (begins.length > 1) throw new Error(`cannot edit ${file}: it has ${begins.length} "${MARK}:${id}" blocks; remove the extra ones by hand`);
  const begin = begins[0]!;
  const endRegex = lineRegex(endMarker(id), '');
  endRegex.lastIndex = begin.index! + begin[0].length;
  const end = endRegex.exec(text);
  if (!end) throw new Error(`cannot edit ${file}: the "${MARK}:${id}" block has no closing marker line; fix it by hand`);
  return {
    start: begin.index!,
    end: end.index + end[0].length,
    eol: begin[0].endsWith('\r\n') ? '\r\n' : '\n',
    addedNewline: begin[1] !== undefined,
  };
}

/** A whole marker line, with its line ending (or the end of the file). */
function lineRegex(marker: string, suffix: string): RegExp {
  return new RegExp(`^${escapeRegex(marker)}${suffix}[ \\t]*(?:\\r\\n|\\n|$)`, 'gm');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The file a path finally names, following symlinks, so that the link itself stays a link. */
function resolveTarget(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops <= MAX_SYMLINKS; hops++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return current;
      throw fail(file, error);
    }
    if (!stat.isSymbolicLink()) {
      if (stat.isDirectory()) throw new Error(`cannot edit ${file}: it is a directory, not a file`);
      if (!stat.isFile()) throw new Error(`cannot edit ${file}: it is not a regular file`);
      return current;
    }
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw new Error(`cannot edit ${file}: too many levels of symbolic links (a symlink loop?)`);
}

function readIfExists(file: string, target: string): string | undefined {
  try {
    return fs.readFileSync(target, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw fail(file, error);
  }
}

function writeWithBackup(file: string, target: string, old: string | undefined, next: string): BlockEdit {
  const dir = path.dirname(target);
  const stat = old === undefined ? undefined : fs.statSync(target);
  // Root may write anything, so a file nobody may write is refused by its mode, not by EACCES.
  if (stat && (stat.mode & 0o222) === 0) {
    throw new Error(`cannot edit ${file}: it is read-only (mode ${(stat.mode & 0o777).toString(8)}); make it writable or choose another file with --rc`);
  }
  try {
    if (old === undefined) fs.mkdirSync(dir, {recursive: true});
    if (stat) fs.accessSync(target, fs.constants.W_OK);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw fail(file, error);
  }
  const backup = stat ? makeBackup(file, target) : undefined;
  const temp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${Date.now()}`);
  try {
    const fd = fs.openSync(temp, 'wx', stat ? stat.mode & 0o7777 : 0o666);
    try {
      fs.writeFileSync(fd, next);
      if (stat) {
        fs.fchmodSync(fd, stat.mode & 0o7777);
        keepOwner(fd, stat);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, {force: true});
    throw fail(file, error);
  }
  return backup ? {changed: true, backup} : {changed: true};
}

function keepOwner(fd: number, stat: fs.Stats): void {
  if (process.getuid?.() !== 0) return;
  fs.fchownSync(fd, stat.uid, stat.gid);
}

/** FILE.bak-YYYYmmddHHMMSS next to the real file, with -N added if that name is taken. */
function makeBackup(file: string, target: string): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  for (let n = 0; ; n++) {
    const backup = `${target}.bak-${stamp}${n === 0 ? '' : `-${n}`}`;
    try {
      fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw fail(file, error);
    }
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory, not a file',
  ENOSPC: 'no space left on the device',
};

function fail(file: string, error: unknown): Error {
  const code = errorCode(error);
  const reason = (code && REASONS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new Error(`cannot edit ${file}: ${reason}`);
}
