// Edits one marked block in a user's shell startup file: backed up, atomic, idempotent, undoable.
//
//   # >>> llm-network-runbooks:<id> >>>
//   export NO_PROXY="…"
//   # <<< llm-network-runbooks:<id> <<<
//
// When the file lacked a trailing newline, apply adds one before the block and says so on the
// opening marker, so that removeBlock can take exactly that newline away again.
import {readIfExists, writeFileSafely} from '../io/safe-write.mts';
import type {Shell} from './detect.mts';

export interface BlockEdit {
  changed: boolean;
  backup?: string;
}

const MARK = 'llm-network-runbooks';
const ADDED_NEWLINE = ' [newline added above]';

export function applyBlock(file: string, id: string, body: string, shell: Shell): BlockEdit {
  checkId(id);
  const old = readText(file);
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
  return write(file, next);
}

export function removeBlock(file: string, id: string): BlockEdit {
  checkId(id);
  const old = readText(file);
  const found = old === undefined ? undefined : findBlock(file, old, id);
  if (!found) return {changed: false};
  const start = found.addedNewline && old!.slice(0, found.start).endsWith(found.eol)
    ? found.start - found.eol.length
    : found.start;
  return write(file, old!.slice(0, start) + old!.slice(found.end));
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

/** FILE.bak-YYYYmmddHHMMSS next to the real file (-N added if that name is taken). */
function timestampedBackup(target: string): string {
  return `${target}.bak-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
}

function readText(file: string): string | undefined {
  return readIfExists(file)?.toString('utf8');
}

function write(file: string, next: string): BlockEdit {
  const {backup} = writeFileSafely(file, next, {backupStem: timestampedBackup});
  return backup ? {changed: true, backup} : {changed: true};
}
