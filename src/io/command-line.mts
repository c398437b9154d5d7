// The command-line conventions every CLI of the project shares: node:util's parseArgs tokens as
// the one parser, and UsageError for bad input (each CLI prints it as one line and exits 2).
import {parseArgs} from 'node:util';

/** The user asked for something the command does not accept: one line, exit code 2. */
export class UsageError extends Error {}

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
