// A runbook runs whole or not at all. A download cut short is still valid JavaScript at many
// offsets (in the readable comments, between two statements), and would then run nothing and exit
// 0. So the committed script's first statement checks for a function declared on its last line:
// declarations are hoisted, so `typeof` sees it before anything runs exactly when the last line is
// there. A cut inside a statement is a syntax error, which Node reports (a stack, exit 1) before
// running anything.
//
// The served file (runtime inlined, what readers download) goes further. A cut between the two
// slashes that open a comment line leaves a lone `/`, a syntax error whatever came before, so every
// line of a file is such an offset. Its code (the runtime, the plan, the start call) is therefore one
// line comment, CODE_MARK then the code with its line ends written as LINE_END: cut anywhere in it,
// the file is valid JavaScript. Line 1, the loader, reads the file, checks that it is all there
// (the file's size and the sha256 of the bytes after line 1 are written into it), then imports
// those bytes, the code line restored, as a data: module (which can import node: builtins), with
// `import.meta.url` standing for the file's own URL, so the runtime sees the runbook's path as when
// it runs the file directly (and a sourceURL comment, so that a stack names the file, not a 250 kB
// data: URL).
// The served file has no shebang: a shebang cut short is still a comment, so a download that stopped
// in it would run nothing and exit 0 (readers run the file with node or zx, never as `./file`). The
// loader is one block statement, so that a cut anywhere inside it is Node's syntax error (exit 1,
// nothing runs; a cut function call could be a valid expression that runs nothing); a cut after its
// closing brace leaves the loader whole, which refuses.
// What no JavaScript file can turn into one line: a cut within the loader (a syntax error), one between
// the two slashes that open a line of the readable comments (one offset per line, all in the first
// few kB; a syntax error too), and an empty file (nothing to run, exit 0).
//
// The loader also holds Ctrl-C, TERM and HUP from its first statement until the runtime takes them
// over (src/runner/interrupt.mts reads what it held through LOADER_HELD_SIGNALS and acts on it):
// checking the bytes and compiling the runtime take a few tenths of a second, and a signal then
// would end the process before anything removed zx's download of the file.

const END_FUNCTION = 'runbookFileEnd';

/** Line 2 of a committed runbook (after the shebang): exit 2 with one line when the file is not whole. */
export function wholeFileGuard(file: string): string {
  const message = `${file}: this file is incomplete (its last line is missing; a download cut short?): download it again\\n`;
  return `if (typeof ${END_FUNCTION} !== 'function') { process.stderr.write('${message}'); process.exit(2); } // ${END_FUNCTION} is declared on the last line`;
}

/** The last line of a committed runbook, which the guard on line 2 looks for. */
export const WHOLE_FILE_END = `function ${END_FUNCTION}() {} // the end of the file: line 2 checks that this line arrived\n`;

/** What starts the served file's code line, which the loader removes. */
export const CODE_MARK = '//▌';

/** What stands for a line end in the code line. */
export const LINE_END = '␤';

/** `Symbol.for(LOADER_HELD_SIGNALS)` on globalThis: the served loader's function that stops holding
 *  signals and returns those it held (absent when the runtime was not loaded by it). */
export const LOADER_HELD_SIGNALS = 'llm-network-runbooks.loader-held-signals';

/** Line 1 of the served file: runs the bytes after it once the file has `total` bytes and those after line 1 have sha256 `hash`. */
export function servedLoader(total: number, hash: string): string {
  return [
    `{`,
    `const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'], held = [], hold = (signal) => held.push(signal);`,
    `for (const signal of signals) process.on(signal, hold);`,
    `globalThis[Symbol.for('${LOADER_HELD_SIGNALS}')] = () => { for (const signal of signals) process.removeListener(signal, hold); return held; };`,
    `const total = ${total}, sha256 = '${hash}';`,
    `const [{readFileSync}, {fileURLToPath}, {createHash}] = await Promise.all([import('node:fs'), import('node:url'), import('node:crypto')]);`,
    `const file = fileURLToPath(import.meta.url), name = file.slice(file.lastIndexOf('/') + 1), bytes = readFileSync(file), code = bytes.subarray(bytes.indexOf(10) + 1);`,
    `const refused = bytes.length < total ? \`is incomplete (\${bytes.length} of \${total} bytes; a download cut short?)\` : bytes.length > total || !createHash('sha256').update(code).digest().equals(Buffer.from(sha256, 'hex')) ? 'is damaged (its sha256 differs from the one on line 1)' : '';`,
    `if (refused) { process.stderr.write(\`\${name} \${refused}: download it again\\n\`); process.exit(2); }`,
    `await import(\`data:text/javascript;base64,\${Buffer.from(code.toString('utf8').replace(/^\\/\\/▌.*/m, (line) => line.slice(3).replace(/␤/g, '\\n')).replace(/\\bimport\\.meta\\.url\\b/g, () => JSON.stringify(import.meta.url)) + \`\\n//# sourceURL=\${import.meta.url}\`).toString('base64')}\`);`,
    `} // line 1 runs the code line below once all of it has arrived`,
  ].join(' ');
}

/**
 * The served form of `inlined` (a committed runbook with the runtime in place of its import): the
 * loader instead of the shebang and the guard, the readable comments as they are, then the code (every
 * line from the first that is not a comment to the end, minus WHOLE_FILE_END) as one line comment.
 * A pure function of `inlined` (`sha256`: src/io/hash, which this folder does not import), so the
 * served bytes stay reproducible.
 */
export function servedWholeFile(inlined: string, sha256: (bytes: Buffer) => string): string {
  const [shebang, guard] = inlined.split('\n', 2);
  if (!guard.startsWith(`if (typeof ${END_FUNCTION} `) || !inlined.endsWith(WHOLE_FILE_END)) throw new Error('a runbook starts with the whole-file guard on line 2 and ends with its end line');
  const lines = inlined.slice(shebang.length + guard.length + 2, -WHOLE_FILE_END.length).split('\n').slice(0, -1);
  const codeAt = lines.findIndex((line) => !line.startsWith('//'));
  if (codeAt === -1) throw new Error('a runbook has code after its readable part');
  const readable = lines.slice(0, codeAt);
  const code = lines.slice(codeAt).join(LINE_END);
  // A line terminator other than \n would end the comment early and let the rest of its line run.
  if (/[\r\u2028\u2029]/.test(lines.join(''))) throw new Error('a served runbook has only \\n line ends (a \\r, U+2028 or U+2029 would end a comment line)');
  if (code.split(LINE_END).length !== lines.length - codeAt) throw new Error(`a runbook's code contains ${LINE_END}, which stands for a line end in the served file`);
  if (readable.some((line) => line.startsWith(CODE_MARK))) throw new Error(`a readable line of a runbook starts with ${CODE_MARK}`);
  const note = `// The code (the runtime, then the plan) is the next line, commented out with its line ends shown as ${LINE_END}, so that a file cut short is still valid JavaScript and line 1 refuses it.`;
  const bytes = Buffer.from(`${[...readable, note, `${CODE_MARK}${code}`].join('\n')}\n`);
  const hash = sha256(bytes);
  // The loader states the whole file's size, its own line included: the digits of that number are
  // part of it, so grow the number until it counts itself (it only grows, so this ends).
  const sizeWith = (total: number) => Buffer.byteLength(servedLoader(total, hash)) + 1 + bytes.length;
  let total = bytes.length;
  while (sizeWith(total) !== total) total = sizeWith(total);
  return `${servedLoader(total, hash)}\n${bytes.toString()}`;
}
