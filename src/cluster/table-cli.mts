// `runbook-netcheck cluster-table [FILE] [--report FILE]`: reads the nodes' --json output (or the
// playbook's launcher records) from FILE or stdin, prints the table, optionally writes it as JSON.
// Exit codes: 0 every node ok, 1 a node is unreachable, refused, or its problem remains, 2 usage.
import * as fs from 'node:fs';
import {UsageError, readCommandLine, writeFileSafely} from '../io/index.mts';
import {redact} from '../proxy/index.mts';
import {renderTable, rowsFromText} from './table.mts';

export const CLUSTER_TABLE_USAGE = 'runbook-netcheck cluster-table [FILE|-] [--report FILE]';

export function clusterTable(argv: string[]): number {
  const {values, positionals} = readCommandLine(argv, {report: {type: 'string'}}, {positionals: 1});
  const input = positionals[0] ?? '-';
  const report = values.report ?? null;
  let text: string;
  try {
    text = fs.readFileSync(input === '-' ? 0 : input, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${input === '-' ? 'stdin' : input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const rows = rowsFromText(text);
  if (rows.length === 0) throw new UsageError('no node output in the input (expected the nodes\' --json reports)');
  process.stdout.write(`${renderTable(rows)}\n`);
  if (report !== null) {
    const failed = rows.filter((r) => !r.ok).length;
    writeFileSafely(report, redact(`${JSON.stringify({nodes: rows, summary: {nodes: rows.length, ok: rows.length - failed, failed}}, null, 2)}\n`));
  }
  return rows.every((r) => r.ok) ? 0 : 1;
}
