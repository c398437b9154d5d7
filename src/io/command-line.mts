// The command-line conventions every CLI of the project shares: node:util's parseArgs in strict
// mode is the one parser (readCommandLine), and bad input is a UsageError (a refusal a
// RefusedError) that the CLI prints as one line (with its usage when the command line itself is
// wrong) and exits 2 on (runCli, usageText).
import {parseArgs, type ParseArgsConfig} from 'node:util';

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

/** The command line itself is wrong (an unknown option, a missing value, …): the usage follows the line. */
export class ArgumentError extends UsageError {}

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

interface Shape<O extends OptionSpecs> {
  args: string[];
  options: O;
  strict: true;
  allowPositionals: true;
}

export type CommandLine<O extends OptionSpecs> = ReturnType<typeof parseArgs<Shape<O>>>;

/**
 * The options and positionals of `args`, read by parseArgs in strict mode: an unknown option, an
 * option without its value (or with a value it does not take), or more than `positionals`
 * positionals is an ArgumentError naming the argument as typed.
 */
export function readCommandLine<const O extends OptionSpecs>(args: readonly string[], options: O, {positionals = 0} = {}): CommandLine<O> {
  let parsed: CommandLine<O>;
  try {
    parsed = parseArgs<Shape<O>>({args: [...args], options, strict: true, allowPositionals: true});
  } catch (error) {
    throw new ArgumentError(optionProblem(args, options) ?? (error as Error).message.split('\n')[0]);
  }
  const extra = parsed.positionals[positionals];
  if (extra !== undefined) throw new ArgumentError(`unexpected argument ${shownValue(extra)}`);
  return parsed;
}

/** What strict mode refused, named as the user typed it (parseArgs' own messages span lines). */
function optionProblem(args: readonly string[], options: OptionSpecs): string | undefined {
  const {tokens} = parseArgs({args: [...args], options, strict: false, allowPositionals: true, tokens: true});
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) return `unknown option ${token.rawName}`;
    if (spec.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value`;
    // Not strict, parseArgs takes the next argument whatever it is; strict refuses one like an option.
    const looksLikeOption = !token.inlineValue && token.value !== undefined && token.value.length > 1 && token.value.startsWith('-');
    if (spec.type === 'string' && (token.value === undefined || looksLikeOption)) return `${token.rawName} needs a value`;
  }
  return undefined;
}

/** What a CLI called `name` prints for a UsageError or a RefusedError: one line, then `usage` when the command line is wrong. */
export function usageText(name: string, usage: string, error: Error): string {
  return `${name}: ${error.message}\n${error instanceof ArgumentError ? `${usage}\n` : ''}`;
}

/**
 * Runs a CLI's main and sets its exit code: main's result, or 2 after printing `usageText` when it
 * throws a UsageError or a RefusedError. Any other error is left to Node (its stack trace, exit 1).
 */
export async function runCli(name: string, usage: string, main: () => Promise<number | void> | number | void): Promise<void> {
  try {
    const code = await main();
    if (code !== undefined) process.exitCode = code;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof RefusedError)) throw error;
    process.stderr.write(usageText(name, usage, error));
    process.exitCode = 2;
  }
}
