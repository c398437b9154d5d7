// The command-line conventions every CLI of the project shares: node:util's parseArgs tokens as
// the one parser, and UsageError for bad input (each CLI prints it as one line and exits 2).
import {parseArgs} from 'node:util';

/** The user asked for something the command does not accept: one line, exit code 2. */
export class UsageError extends Error {}

/** An anticipated refusal (a file that may not or cannot be edited, a relative HOME): one line,
 *  exit code 2, like a usage error, never "unexpected". */
export class RefusedError extends Error {}

const SHOWN_CHARACTERS = 80;

/** A value the user typed, quoted for an error line: a long one is cut, with its length said. */
export function shownValue(value: string): string {
  if (value.length <= SHOWN_CHARACTERS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}… (${value.length} characters)`;
}

export type ArgToken =
  | {kind: 'option'; name: string; value: string | undefined; index: number; inlineValue: boolean | undefined}
  | {kind: 'positional'; value: string; index: number}
  | {kind: 'option-terminator'; index: number};

/**
 * The raw tokens of a command line: every `--name`, `--name=value`, `-x` and positional in order,
 * with no meaning given to any of them yet. Each CLI gives them its own meaning, so that all of
 * them split `--name=value`, short flags and `--` alike.
 */
export function tokenize(args: readonly string[]): ArgToken[] {
  const {tokens} = parseArgs({args: [...args], strict: false, allowPositionals: true, tokens: true});
  return tokens as ArgToken[];
}
