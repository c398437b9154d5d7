// A runbook runs whole or not at all. A download cut short is still valid JavaScript at many
// offsets (in the readable comments, between two statements), and would then run nothing and exit
// 0. So the file's first statement checks for a function declared on its last line: declarations
// are hoisted, so `typeof` sees it before anything runs exactly when the last line is there.
// A cut inside a statement is a syntax error, which Node reports before running anything (exit 1).

const END_FUNCTION = 'runbookFileEnd';

/** Line 2 of a runbook (after the shebang): exit 2 with one line when the file is not whole. */
export function wholeFileGuard(file: string): string {
  const message = `${file}: this file is incomplete (its last line is missing; a download cut short?): download it again\\n`;
  return `if (typeof ${END_FUNCTION} !== 'function') { process.stderr.write('${message}'); process.exit(2); } // ${END_FUNCTION} is declared on the last line`;
}

/** The last line of a runbook, which the guard on line 2 looks for. */
export const WHOLE_FILE_END = `function ${END_FUNCTION}() {} // the end of the file: line 2 checks that this line arrived\n`;
