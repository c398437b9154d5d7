// A runbook runs whole or not at all. A download cut short is still valid JavaScript at many
// offsets (in the readable comments, between two statements), and would then run nothing and exit
// 0. So the committed script's first statement checks for a function declared on its last line:
// declarations are hoisted, so `typeof` sees it before anything runs exactly when the last line is
// there. A cut inside a statement is a syntax error, which Node reports (a stack, exit 1) before
// running anything.
//
// The served file (runtime inlined, what readers download) goes further, so that every cut past
// line 2 gives the one line and exit 2: its code (the runtime, the plan, the start call) follows as
// line comments, each line prefixed with CODE_MARK, so that the file is valid JavaScript cut at any
// byte. Line 2, the loader, reads the file, checks that the bytes after it are all there (their
// length and sha256 are written into it), then imports them, unprefixed, as a data: module (which
// can import node: builtins), with `import.meta.url` standing for the file's own URL, so the
// runtime sees the runbook's path as it would if it ran the file directly. A cut within the
// shebang or the loader itself (line 1 or 2) can't be caught by any JavaScript file.
import {sha256} from '../io/hash.mts';

const END_FUNCTION = 'runbookFileEnd';

/** Line 2 of a committed runbook (after the shebang): exit 2 with one line when the file is not whole. */
export function wholeFileGuard(file: string): string {
  const message = `${file}: this file is incomplete (its last line is missing; a download cut short?): download it again\\n`;
  return `if (typeof ${END_FUNCTION} !== 'function') { process.stderr.write('${message}'); process.exit(2); } // ${END_FUNCTION} is declared on the last line`;
}

/** The last line of a committed runbook, which the guard on line 2 looks for. */
export const WHOLE_FILE_END = `function ${END_FUNCTION}() {} // the end of the file: line 2 checks that this line arrived\n`;

/** What starts each line of the served file's code, which the loader removes. */
export const CODE_MARK = '//▌';

/** Line 2 of the served file: runs the `size` bytes after it, with sha256 `hash`, once all have arrived. */
export function servedLoader(size: number, hash: string): string {
  return [
    `await (async (size, sha256) => {`,
    `const [{readFileSync}, {fileURLToPath}, {createHash}] = await Promise.all([import('node:fs'), import('node:url'), import('node:crypto')]);`,
    `const file = fileURLToPath(import.meta.url), name = file.slice(file.lastIndexOf('/') + 1), bytes = readFileSync(file), start = bytes.indexOf(10, bytes.indexOf(10) + 1) + 1, code = bytes.subarray(start);`,
    `const refused = code.length !== size ? \`is incomplete (\${bytes.length} of \${start + size} bytes; a download cut short?)\` : createHash('sha256').update(code).digest('hex') !== sha256 ? 'is damaged (its sha256 differs from the one on line 2)' : '';`,
    `if (refused) { process.stderr.write(\`\${name} \${refused}: download it again\\n\`); process.exit(2); }`,
    `await import(\`data:text/javascript;base64,\${Buffer.from(code.toString('utf8').replace(/^\\/\\/▌/gm, '').replace(/\\bimport\\.meta\\.url\\b/g, () => JSON.stringify(import.meta.url))).toString('base64')}\`);`,
    `})(${size}, '${hash}'); // line 2 runs the code below (commented out) once all of it has arrived`,
  ].join(' ');
}

/**
 * The served form of `inlined` (a committed runbook with the runtime in place of its import): the
 * shebang, the loader instead of the guard, the readable comments as they are, then every line from
 * the first that is not a comment to the end, minus WHOLE_FILE_END, prefixed with CODE_MARK. A pure
 * function of `inlined`, so the served bytes stay reproducible.
 */
export function servedWholeFile(inlined: string): string {
  const [shebang, guard] = inlined.split('\n', 2);
  if (!guard.startsWith(`if (typeof ${END_FUNCTION} `) || !inlined.endsWith(WHOLE_FILE_END)) throw new Error('a runbook starts with the whole-file guard on line 2 and ends with its end line');
  const lines = inlined.slice(shebang.length + guard.length + 2, -WHOLE_FILE_END.length).split('\n');
  // A line terminator other than \n would end a comment early and let the rest of its line run.
  if (/[\r\u2028\u2029]/.test(lines.join(''))) throw new Error('a served runbook has only \\n line ends (a \\r, U+2028 or U+2029 would end a comment line)');
  const codeAt = lines.findIndex((line) => !line.startsWith('//'));
  if (codeAt === -1) throw new Error('a runbook has code after its readable part');
  if (lines.slice(0, codeAt).some((line) => line.startsWith(CODE_MARK))) throw new Error(`a readable line of a runbook starts with ${CODE_MARK}`);
  const note = `// The code: every line below starts with ${CODE_MARK}, so that a file cut short is still valid and line 2 refuses it.`;
  const code = `${[...lines.slice(0, codeAt), note, ...lines.slice(codeAt, -1).map((line) => `${CODE_MARK}${line}`)].join('\n')}\n`;
  const bytes = Buffer.from(code);
  return `${shebang}\n${servedLoader(bytes.length, sha256(bytes))}\n${code}`;
}
