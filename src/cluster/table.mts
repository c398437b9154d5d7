// The cluster table: per-node --json reports, however they were gathered (Ansible, srun, pdsh,
// kubectl exec), turned into one row per node. Everything a row shows is redacted.
import {redact} from '../proxy/index.mts';
import type {NodeFacts, TrafficFacts} from './node-facts.mts';

/** The parts of a runbook's --json report (src/runner/report.mts) the table reads. */
export interface NodeReport {
  runbook: string;
  mode: 'run' | 'dry-run' | 'undo';
  params: Record<string, string>;
  steps: {id: string; kind: string; status: string; exitCode: number | null; message: string; output?: string}[];
  exitCode: number;
  node?: NodeFacts;
}

/** What a launcher recorded for one node (the playbook writes these): its output and exit code,
 *  or why it did not run. */
export interface LauncherRecord {
  node: string;
  stdout?: string;
  stderr?: string;
  rc?: number | null;
  unreachable?: boolean;
  msg?: string;
}

export interface Traffic {
  now: string[];
  withFix: string[];
}

export interface Row {
  node: string;
  /** Set when the node gave no report: unreachable, no Node, refused, … */
  reason?: string;
  shell?: string;
  proxy?: string;
  /** Clients that send local / node-to-node traffic through a proxy, now and with the fix. */
  local?: Traffic;
  cluster?: Traffic;
  startupFile?: string;
  processes?: string;
  result?: string;
  /** Whether the run changed the node (a startup-file block written or removed). */
  changed?: boolean;
  ok: boolean;
}

/** Every JSON object in `text` at the top level, in order, and the text around them. */
export function jsonValues(text: string): {values: unknown[]; other: string[]} {
  const values: unknown[] = [];
  const other: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      const slice = text.slice(start, i + 1);
      try {
        values.push(JSON.parse(slice));
        other.push(text.slice(last, start));
      } catch {
        other.push(text.slice(last, i + 1));
      }
      last = i + 1;
    }
  }
  other.push(text.slice(last));
  return {values, other: other.flatMap((t) => t.split('\n')).map((l) => l.trim()).filter(Boolean)};
}

// `node1: text` as pdsh, `srun --label` (`0: text`) and a `sed "s/^/$pod: /"` write it; a JSON
// key is quoted, so it never looks like a label.
const LABEL = /^([A-Za-z0-9_][A-Za-z0-9_.@\-]*): ?(.*)$/;

/** Splits launcher output into each node's text: by label when the JSON lines carry one. */
export function byNode(text: string): Map<string, string> {
  // ssh ends its own messages with CRLF (`gpu2: ssh: connect to host … refused\r`).
  const lines = text.split(/\r?\n/);
  const labelled = lines.some((line) => /^[A-Za-z0-9_][A-Za-z0-9_.@\-]*: ?\{/.test(line));
  const groups = new Map<string, string[]>();
  for (const line of lines) {
    let [label, rest] = ['', line];
    const m = labelled ? LABEL.exec(line) : null;
    if (m) [label, rest] = [m[1]!, m[2]!];
    // pdsh's own messages: `pdsh@controller: node3: ssh exited with exit code 255`
    const own = /^pdsh@/.test(label) ? LABEL.exec(rest) : null;
    if (own) [label, rest] = [own[1]!, own[2]!];
    groups.set(label, [...(groups.get(label) ?? []), rest]);
  }
  return new Map([...groups].map(([label, group]) => [label, group.join('\n')]));
}

function isReport(value: unknown): value is NodeReport {
  return typeof value === 'object' && value !== null && 'runbook' in value && 'steps' in value;
}

function isLauncherRecord(value: unknown): value is LauncherRecord {
  return typeof value === 'object' && value !== null && typeof (value as LauncherRecord).node === 'string' && !('runbook' in value);
}

function reasonFrom(lines: string[], rc: number | null | undefined): string {
  const text = lines.join('\n');
  if (/(^|[\s/'‘])node'?: (command )?not found|(^|[\s/'‘])node'?: No such file or directory/m.test(text)) return 'Node.js is not installed here (node: not found)';
  const refused = lines.find((l) => /refused: /.test(l));
  if (refused) return refused.slice(refused.indexOf('refused: '));
  const said = lines.filter((l) => !/cannot set terminal process group|no job control/.test(l));
  // pdsh's `ssh exited with exit code 255` follows ssh's own reason (`connect to host …: refused`).
  const last = said.filter((l) => !/^ssh exited with exit code \d+$/.test(l)).at(-1) ?? said.at(-1);
  return last ?? (rc === undefined || rc === null ? 'no output' : `exit ${rc}, no report`);
}

function proxyText(facts: NodeFacts): string {
  const byValue = new Map<string, string[]>();
  for (const {name, value} of facts.proxyVariables) {
    if (/^no_proxy$/i.test(name)) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), name]);
  }
  if (byValue.size === 0) return 'none';
  return [...byValue].map(([value, names]) => `${names.join(',')}=${value === '' ? '""' : value}`).join(' ');
}

function traffic(facts: TrafficFacts | null | undefined): Traffic | undefined {
  return facts ? {now: facts.now, withFix: facts.withFix} : undefined;
}

function stepByKind(report: NodeReport, kind: string) {
  return report.steps.find((s) => s.kind === kind);
}

function startupFileText(report: NodeReport): string {
  const facts = report.node;
  if (!facts) return '-';
  const {file, block, changed} = facts.startupFile;
  const home = facts.home;
  const where = file === null ? 'startup file' : home && file.startsWith(`${home}/`) ? `~/${file.slice(home.length + 1)}` : file;
  const step = stepByKind(report, 'rc-block');
  if (report.mode === 'undo') return `${where}: ${changed ? 'block removed' : `no change (block ${block})`}`;
  if (step?.status === 'failed') return `${where}: not written: ${step.message.split('\n')[0]}`;
  if (changed) return `${where}: block written`;
  return `${where}: ${block === 'present' ? 'block present' : block === 'absent' ? 'no block' : 'unreadable'}${step && step.status !== 'not-run' ? ', unchanged' : ''}`;
}

function changedBy(report: NodeReport): boolean {
  return report.node?.startupFile.changed ?? false;
}

function resultText(report: NodeReport, check: boolean): {text: string; ok: boolean} {
  const failed = report.steps.find((s) => s.status === 'failed');
  const why = failed ? `: ${failed.id} ${failed.message.split('\n')[0]}` : '';
  if (report.mode === 'undo') return {text: report.exitCode === 0 ? 'undone' : `undo incomplete (exit ${report.exitCode})${why}`, ok: report.exitCode === 0};
  if (check) return {text: report.exitCode === 0 ? 'ok, nothing to fix' : report.exitCode === 1 ? `needs the fix${why}` : `exit ${report.exitCode}${why}`, ok: report.exitCode <= 1};
  return {text: report.exitCode === 0 ? 'fixed and verified' : `problem remains (exit ${report.exitCode})${why}`, ok: report.exitCode === 0};
}

/** The processes step (runbook-netcheck processes, src/env-holders): its verdict, the last line it
 *  printed (`2 process(es) of yours will not reach it directly: tmux 4242, …`). */
function processesText(report: NodeReport): string | undefined {
  const step = report.steps.find((s) => s.id === 'processes');
  if (!step || step.status === 'not-run') return undefined;
  const verdict = (step.output ?? '').trim().split('\n').at(-1)?.trim();
  return verdict || `${step.status}: ${step.message.split('\n')[0] || 'no output'}`;
}

/** One row from a node's report; `label` is the launcher's name for the node, when it has one. */
export function reportRow(report: NodeReport, label: string): Row {
  // --check runs the diagnosis only: no step that changes the machine is in the report.
  const check = report.mode === 'run' && !report.steps.some((s) => s.kind === 'rc-block' && s.status !== 'not-run');
  const facts = report.node;
  const result = resultText(report, check);
  const node = label === '' || /^\d+$/.test(label) ? `${facts?.host ?? 'unknown'}${label ? ` (task ${label})` : ''}` : label;
  return {
    node,
    shell: facts?.shell,
    proxy: facts ? proxyText(facts) : undefined,
    local: traffic(facts?.local),
    cluster: traffic(facts?.cluster),
    startupFile: startupFileText(report),
    processes: processesText(report),
    result: result.text,
    changed: changedBy(report),
    ok: result.ok,
  };
}

// A line of a pretty-printed JSON value (JSON.stringify escapes line ends inside strings, so every
// line is a bracket, a string, a `"key": value` or a literal, with an optional comma).
const JSON_LINE = /^\s*(?:[[\]{}]|\[\]|\{\}|"(?:[^"\\]|\\.)*"(?:\s*:\s*\S.*)?|-?\d[\d.eE+-]*|true|false|null),?\s*$/;

/** The rows for one node's raw output (a launcher's record, or a label's lines). */
function rowsFor(label: string, text: string, rc?: number | null): Row[] {
  const {values, other} = jsonValues(text);
  let reports = values.filter(isReport);
  // pdsh, srun and kubectl exec carry a node's stdout and stderr apart and print each line as it
  // comes: on a loaded node a line of the run's progress (stderr) can land inside its report (stdout).
  if (reports.length === 0) reports = jsonValues(text.split('\n').filter((line) => JSON_LINE.test(line)).join('\n')).values.filter(isReport);
  if (reports.length > 0) return reports.map((r) => reportRow(r, label));
  return [{node: label || 'unknown node', reason: reasonFrom(other, rc), ok: false}];
}

export function rowsFromRecord(record: LauncherRecord): Row[] {
  // One line in the table: with pipelining on, Ansible's message ends in the ssh error's own `\r\n`.
  if (record.unreachable) return [{node: record.node, reason: `unreachable: ${record.msg?.replace(/\s+/g, ' ').trim() || 'no answer'}`, ok: false}];
  const text = `${record.stdout ?? ''}\n${record.stderr ?? ''}`;
  if (!record.stdout && !record.stderr && record.msg) return [{node: record.node, reason: record.msg, ok: false}];
  return rowsFor(record.node, text, record.rc);
}

/** All rows from launcher output: launcher records (the playbook's), or labelled or plain reports. */
export function rowsFromText(text: string): Row[] {
  const {values} = jsonValues(text);
  if (values.length > 0 && values.every(isLauncherRecord)) return values.flatMap(rowsFromRecord);
  return [...byNode(text)].flatMap(([label, group]) => (group.trim() === '' ? [] : rowsFor(label, group)));
}

const COLUMNS: {key: keyof Row; title: string}[] = [
  {key: 'node', title: 'node'},
  {key: 'shell', title: 'shell'},
  {key: 'proxy', title: 'proxy variables'},
  {key: 'local', title: 'local via proxy'},
  {key: 'cluster', title: 'cluster via proxy'},
  {key: 'startupFile', title: 'startup file'},
  {key: 'processes', title: 'processes to restart'},
  {key: 'result', title: 'result'},
];

const names = (ids: string[]) => (ids.length === 0 ? 'none' : ids.join(', '));

/** `9 → 0`: how many clients go through a proxy now, and with the fix (the names follow the table). */
function trafficCell(t: Traffic): string {
  return t.now.length === t.withFix.length && names(t.now) === names(t.withFix) ? String(t.now.length) : `${t.now.length} → ${t.withFix.length}`;
}

/** Below the table: which clients the counts are, each distinct list once with its nodes. */
function legend(rows: Row[]): string[] {
  const lines = new Map<string, string[]>();
  for (const row of rows) {
    for (const key of ['local', 'cluster'] as const) {
      const t = row[key];
      if (!t) continue;
      for (const [when, ids] of [['now', t.now], ['with the fix', t.withFix]] as const) {
        if (ids.length === 0 || (when !== 'now' && names(ids) === names(t.now))) continue;
        const text = `${key} via proxy ${when}: ${names(ids)}`;
        lines.set(text, [...(lines.get(text) ?? []), row.node]);
      }
    }
  }
  return [...lines].map(([text, nodes]) => `  ${nodes.join(', ')}: ${text}`);
}

/** A value with control characters (a CRLF startup file leaves `\r` in a variable) shown escaped,
 *  so that it cannot break the table's lines. */
function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** The table as text: one line per node (a node without a report: its reason), then which
 *  clients the counts name. Columns no row has (processes, when the runbook has no such step)
 *  are left out. */
export function renderTable(rows: Row[]): string {
  const columns = COLUMNS.filter((c) => rows.some((r) => r.reason === undefined && r[c.key] !== undefined));
  const cell = (row: Row, key: keyof Row): string => {
    const value = row[key];
    if (value === undefined) return '-';
    return typeof value === 'object' ? trafficCell(value as Traffic) : visible(String(value));
  };
  const reported = rows.filter((r) => r.reason === undefined);
  // A reason row spans the columns after the node: only the node column counts it.
  const widths = columns.map((c) => Math.max(c.title.length, ...(c.key === 'node' ? rows : reported).map((r) => cell(r, c.key).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const failed = rows.filter((r) => !r.ok).length;
  const explained = legend(reported);
  return redact([
    line(columns.map((c) => c.title)),
    ...rows.map((r) => (r.reason !== undefined ? `${visible(r.node).padEnd(widths[0]!)}  ${visible(r.reason)}` : line(columns.map((c) => cell(r, c.key))))),
    ...(explained.length > 0 ? ['clients counted:', ...explained] : []),
    `${rows.length} node(s): ${rows.length - failed} reported, ${failed} not (unreachable, refused or failed)`,
  ].join('\n'));
}
