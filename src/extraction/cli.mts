// npm run runbooks | runbooks:check | docs:coverage
//   write     regenerate runbooks/ from the docs (exit 1 when the docs have annotation errors)
//   check     exit 1, naming page and step, when runbooks/ differs from what the docs produce,
//             an annotation is wrong, or a translation's steps differ from its English page
//   coverage  per page: code blocks run in CI, manual, not annotated (exit 1 if any is not)
// Exit code 2: anything else on the command line (one line naming it, then the usage).
import {ArgumentError, readCommandLine, runCli} from '../io/index.mts';
import {driftProblems} from './check.mts';
import {coverageReport} from './coverage.mts';
import {extractDocs, formatError} from './docs.mts';
import {writeRunbooks} from './output.mts';

async function write(): Promise<number> {
  const docs = extractDocs();
  if (docs.errors.length > 0) {
    for (const e of docs.errors) console.error(formatError(e));
    return 1;
  }
  const {removed} = await writeRunbooks(docs.runbooks);
  for (const file of removed) console.log(`removed ${file}`);
  console.log(`wrote ${docs.runbooks.length} runbook(s): ${docs.runbooks.map((r) => r.name).join(', ') || '(none)'}`);
  return 0;
}

async function check(): Promise<number> {
  const problems = await driftProblems();
  for (const p of problems) console.error(p);
  if (problems.length > 0) console.error(`runbooks:check: ${problems.length} problem(s); fix the page or run npm run runbooks`);
  else console.log('runbooks:check: runbooks/ matches the docs');
  return problems.length > 0 ? 1 : 0;
}

function coverage(): number {
  const report = coverageReport(extractDocs());
  console.log(report.text);
  return report.complete ? 0 : 1;
}

const USAGE = 'usage: tsx src/extraction/cli.mts write|check|coverage';
const commands: Record<string, () => Promise<number> | number> = {write, check, coverage};

async function main(args: string[]): Promise<number> {
  const [command] = readCommandLine(args, {}, {positionals: 1}).positionals;
  if (command === undefined) throw new ArgumentError('missing command');
  if (!Object.hasOwn(commands, command)) throw new ArgumentError(`unknown command ${JSON.stringify(command)}`);
  return commands[command]();
}

await runCli('runbooks', USAGE, () => main(process.argv.slice(2)));
