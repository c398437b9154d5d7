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
import {GitError, topLevel, UsageError, tokenize} from '../io/index.mts';
import {historyGapLines, problemLines, statusTable} from './report.mts';
import {acceptTranslation, resolveAcceptTarget, syncOutdatedFlags} from './sync.mts';
import {undoLastRun} from './file-write.mts';

const USAGE = 'usage: cli.mts status [--json] | check | sync [--accept <page> [--locale <locale>] | --undo]';

interface Args {
  command: string | undefined;
  /** Options by name (`--accept PAGE` → accept: 'PAGE'; a switch → ''), in the order given. */
  options: Map<string, string>;
  extra: boolean;
}

/** The command word, then options; a value follows its option; anything else is `extra`. */
function parse(argv: string[]): Args {
  const tokens = tokenize(argv);
  const args: Args = {command: undefined, options: new Map(), extra: false};
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'positional' && i === 0) args.command = token.value;
    else if (token.kind !== 'option' || args.options.has(token.name)) args.extra = true;
    else if (VALUED.has(token.name)) {
      const next = tokens[i + 1];
      if (token.inlineValue) args.options.set(token.name, token.value!);
      else if (next?.kind === 'positional') {
        args.options.set(token.name, next.value);
        i++;
      }
      else args.extra = true;
    } else {
      if (token.inlineValue) args.extra = true;
      args.options.set(token.name, '');
    }
  }
  return args;
}

const VALUED = new Set(['accept', 'locale']);

function only(args: Args, ...allowed: string[]): boolean {
  return !args.extra && [...args.options.keys()].every((name) => allowed.includes(name));
}

async function main(argv: string[]): Promise<number> {
  const args = parse(argv);
  const {command} = args;
  const root = await topLevel(process.cwd());
  if (command === 'status' && only(args, 'json')) {
    const statuses = await analyzeRepository(root);
    console.log(args.options.has('json') ? JSON.stringify(statuses, null, 2) : statusTable(statuses));
    const gaps = historyGapLines(statuses);
    for (const line of gaps) console.error(line);
    return gaps.length ? 3 : 0;
  }
  if (command === 'check' && only(args)) {
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
  if (command === 'sync') return sync(root, args);
  throw new UsageError(USAGE);
}

async function sync(root: string, args: Args): Promise<number> {
  if (args.options.has('undo') && only(args, 'undo')) {
    const restored = await undoLastRun(root);
    console.log(restored.length ? `restored: ${restored.join(', ')}` : 'nothing to undo');
    return 0;
  }
  const page = args.options.get('accept');
  if (page !== undefined && only(args, 'accept', 'locale')) {
    const target = await resolveAcceptTarget(root, page, args.options.get('locale'));
    const result = await acceptTranslation(root, target.locale, target.page);
    console.log(result.backupRun
      ? `${result.file}: accepted as a translation of ${result.commit} (backup in ${result.backupRun})`
      : `${result.file}: already records ${result.commit} as fresh; nothing changed`);
    return 0;
  }
  if (!only(args)) throw new UsageError(USAGE);
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof GitError;
    console.error(`i18n: ${known ? (error as Error).message : (error as Error).stack}`);
    process.exit(known ? 2 : 1);
  },
);
