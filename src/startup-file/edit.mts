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
import {withLock} from '../io/file-lock.mts';
import {readIfExists, timestampedBackup, writeFileSafely} from '../io/safe-write.mts';
import type {Shell} from './detect.mts';
import {escapeRegex} from '../io/text.mts';

export interface BlockEdit {
  changed: boolean;
  backup?: string;
}

const MARK = 'llm-network-runbooks';
const ADDED_NEWLINE = ' [newline added above]';
/** Backups kept per startup file besides the first (the file before any runbook touched it). */
export const KEEP_LAST_BACKUPS = 5;

// The file is handled as latin1 text: one character per byte, so bytes that are not UTF-8 (a
// Latin-1 comment, a stray byte) come back out unchanged. The markers are ASCII; the block's own
// text is UTF-8, converted to that form before it is spliced in.
const toBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const fromBytes = (text: string) => Buffer.from(text, 'latin1').toString('utf8');

export function applyBlock(file: string, id: string, body: string, shell: Shell): BlockEdit {
  checkId(id);
  return withLock(file, () => {
    const old = readText(file);
    const found = old === undefined ? undefined : findBlock(file, old, id);
    let next: string;
    if (found) {
      const block = renderBlock(id, body, shell, found.eol, found.addedNewline);
      next = old!.slice(0, found.start) + block + old!.slice(found.end);
    } else {
      const content = old ?? '';
      const eol = lineEnding(content);
      const addNewline = content !== '' && !content.endsWith('\n');
      next = content + (addNewline ? eol : '') + renderBlock(id, body, shell, eol, addNewline);
    }
    if (next === old) return {changed: false};
    return write(file, next);
  });
}

export function removeBlock(file: string, id: string): BlockEdit {
  checkId(id);
  return withLock(file, () => {
    const old = readText(file);
    const found = old === undefined ? undefined : findBlock(file, old, id);
    if (!found) return {changed: false};
    const start = found.addedNewline && old!.slice(0, found.start).endsWith(found.eol)
      ? found.start - found.eol.length
      : found.start;
    return write(file, old!.slice(0, start) + old!.slice(found.end));
  });
}

export interface BlockInFile {
  /** The lines between the markers, LF-joined. */
  body: string;
  /** 1-based line number of the first of them in the file. */
  firstLine: number;
}

/** The block as it stands in the file now, or undefined when the file has no such block. */
export function readBlock(file: string, id: string): BlockInFile | undefined {
  checkId(id);
  const text = readText(file);
  const found = text === undefined ? undefined : findBlock(file, text, id);
  if (!found) return undefined;
  const lines = fromBytes(text!.slice(found.start, found.end)).split(/\r?\n/);
  const written = lines.slice(1, lines.findIndex((line) => line.startsWith(endMarker(id))));
  const body = (found.eol === '\r\n' ? written.map(withoutCrGuard) : written).join('\n');
  return {body, firstLine: text!.slice(0, found.start).split('\n').length + 1};
}

/**
 * The file's line ending for the block: CRLF when most of its lines end so, and for a file of
 * `\r`-only lines too, where no shell would see a line at all without a `\n`; else LF. Shells read
 * CRLF lines with the `\r` as part of the last word, so CRLF block lines end in a comment (see
 * `renderBlock`) that takes the `\r`, and no value gets one.
 */
function lineEnding(content: string): '\r\n' | '\n' {
  const crlf = content.match(/\r\n/g)?.length ?? 0;
  const lf = (content.match(/\n/g)?.length ?? 0) - crlf;
  const cr = (content.match(/\r/g)?.length ?? 0) - crlf;
  return crlf > lf || (lf === 0 && cr > 0) ? '\r\n' : '\n';
}

/** What a CRLF line ends with before its `\r\n`, so that the `\r` lands in a comment. */
const CR_GUARD = ' #';

/** Every block of this project in the file, by id, as `readBlock` gives it. */
export function readBlocks(file: string): Array<BlockInFile & {id: string}> {
  const text = readText(file);
  if (text === undefined) return [];
  const ids = [...text.matchAll(new RegExp(`^# >>> ${MARK}:([a-z0-9][a-z0-9-]*) >>>`, 'gm'))].map((m) => m[1]!);
  return [...new Set(ids)].map((id) => ({id, ...readBlock(file, id)!}));
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
  const guarded = eol === '\r\n' ? converted.map(withCrGuard) : converted;
  const all = [beginMarker(id) + (addedNewline ? ADDED_NEWLINE : ''), ...guarded, endMarker(id)];
  return toBytes(all.map((line) => line + eol).join(''));
}

/** A command line gets a trailing ` #` (the `\r` after it is then a comment); a blank line is `#`. */
function withCrGuard(line: string): string {
  if (line.trim() === '') return '#';
  return line.trimStart().startsWith('#') ? line : line + CR_GUARD;
}

function withoutCrGuard(line: string): string {
  if (line === '#') return '';
  return line.endsWith(CR_GUARD) && !line.trimStart().startsWith('#') ? line.slice(0, -CR_GUARD.length) : line;
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

function readText(file: string): string | undefined {
  return readIfExists(file)?.toString('latin1');
}

function write(file: string, next: string): BlockEdit {
  const {target, backup} = writeFileSafely(file, Buffer.from(next, 'latin1'), {backupStem: timestampedBackup});
  if (!backup) return {changed: true};
  pruneBackups(target);
  return {changed: true, backup};
}

/**
 * Keeps the first backup of the file (the one from before any runbook changed it) and the last
 * KEEP_LAST_BACKUPS; older ones in between go. Names sort by time (FILE.bak-YYYYmmddHHMMSS[-N]).
 */
function pruneBackups(target: string): void {
  const name = path.basename(target);
  const pattern = new RegExp(`^${escapeRegex(name)}\\.bak-(\\d{14})(?:-(\\d+))?$`);
  const backups = fs.readdirSync(path.dirname(target))
    .flatMap((entry) => {
      const match = pattern.exec(entry);
      return match ? [{entry, stamp: match[1]!, n: Number(match[2] ?? 0)}] : [];
    })
    .sort((a, b) => a.stamp.localeCompare(b.stamp) || a.n - b.n);
  for (const old of backups.slice(1, Math.max(1, backups.length - KEEP_LAST_BACKUPS))) {
    fs.rmSync(path.join(path.dirname(target), old.entry), {force: true});
  }
}
