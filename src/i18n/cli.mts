// npm run i18n:status | i18n:check | i18n:sync [-- --accept <page> [--locale <l>] | --undo]
//
// Exit codes:
//   0  done; for `check`, every translation is consistent
//   1  `check` found problems (each printed as "<file>: <what is wrong> [<code>]");
//      `sync` could not rewrite a file
//   2  usage error, bad i18n/translations.config.json, or not run inside a git work tree
//   3  the git history needed for an answer is not in this clone (shallow clone or a commit that was
//      never fetched); the message says what to fetch. No answer is guessed.
import {analyzeRepository} from './status.mts';
import {checkRepository} from './check.mts';
import {GitError, topLevel, ArgumentError, UsageError, readCommandLine, runCli, type OptionSpecs} from '../io/index.mts';
import {historyGapLines, problemLines, statusTable} from './report.mts';
import {acceptTranslation, resolveAcceptTarget, syncOutdatedFlags} from './sync.mts';
import {undoLastRun} from './file-write.mts';

const USAGE = 'usage: cli.mts status [--json] | check | sync [--accept <page> [--locale <locale>] | --undo]';

/** Each command's options: any other option, or any argument after the command, is a usage error. */
const OPTIONS = {
  status: {json: {type: 'boolean'}},
  check: {},
  sync: {accept: {type: 'string'}, locale: {type: 'string'}, undo: {type: 'boolean'}},
} as const;

interface Options {
  json?: boolean;
  accept?: string;
  locale?: string;
  undo?: boolean;
}

async function main([command, ...rest]: string[]): Promise<number> {
  if (command === undefined || !Object.hasOwn(OPTIONS, command)) {
    throw new ArgumentError(command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`);
  }
  const options = readCommandLine<OptionSpecs>(rest, OPTIONS[command as keyof typeof OPTIONS]).values as Options;
  const root = await topLevel(process.cwd());
  if (command === 'status') {
    const statuses = await analyzeRepository(root);
    console.log(options.json ? JSON.stringify(statuses, null, 2) : statusTable(statuses));
    const gaps = historyGapLines(statuses);
    for (const line of gaps) console.error(line);
    return gaps.length ? 3 : 0;
  }
  if (command === 'check') {
    const statuses = await checkRepository(root);
    const problems = problemLines(statuses);
    const gaps = historyGapLines(statuses);
    for (const line of [...problems, ...gaps]) console.error(line);
    if (problems.length) {
      console.error(`i18n:check: ${problems.length} problem(s); \`npm run i18n:status\` shows the details`);
      return 1;
    }
    if (gaps.length) return 3;
    console.log(`i18n:check: ${statuses.filter((s) => s.state === 'translated').length} translation(s) consistent`);
    return 0;
  }
  return sync(root, options);
}

async function sync(root: string, options: Options): Promise<number> {
  if (options.undo) {
    if (options.accept !== undefined || options.locale !== undefined) throw new ArgumentError('--undo takes no other option');
    const restored = await undoLastRun(root);
    console.log(restored.length ? `restored: ${restored.join(', ')}` : 'nothing to undo');
    return 0;
  }
  if (options.locale !== undefined && options.accept === undefined) throw new ArgumentError('--locale goes with --accept');
  if (options.accept !== undefined) {
    const target = await resolveAcceptTarget(root, options.accept, options.locale);
    const result = await acceptTranslation(root, target.locale, target.page);
    console.log(result.backupRun
      ? `${result.file}: accepted as a translation of ${result.commit} (backup in ${result.backupRun})`
      : `${result.file}: already records ${result.commit} as fresh; nothing changed`);
    return 0;
  }
  const statuses = await analyzeRepository(root);
  const result = await syncOutdatedFlags(root, statuses);
  for (const {file, outdated} of result.rewritten) console.log(`${file}: outdated: ${outdated}`);
  for (const {file, error} of result.failed) console.error(`${file}: not rewritten: ${error}`);
  if (result.backupRun) console.log(`backup in ${result.backupRun} (undo: npm run i18n:sync -- --undo)`);
  else if (result.failed.length === 0) console.log('every outdated: flag already tells the truth');
  const gaps = historyGapLines(statuses);
  for (const line of gaps) console.error(line);
  return result.failed.length ? 1 : gaps.length ? 3 : 0;
}

// Not awaited: the tests bundle this file as CommonJS, which has no top-level await.
void runCli('i18n', USAGE, () => main(process.argv.slice(2)).catch((error: unknown) => {
  // Not a git work tree, or git refused: one line, exit 2 (the usage would not help).
  throw error instanceof GitError ? new UsageError(error.message) : error;
}));
