// `verify`'s check of what the runbook wrote: every variable of every marked block in the startup
// file must reach a fresh shell exactly as the block sets it (a CRLF line, a later line that
// overwrites it or an unset would change it), and curl, the client verify requires, must exempt
// every host and address of the NO_PROXY list written, not only the service's.
import type {Env} from '../io/env.mts';
import {predict} from '../proxy/predict.mts';
import type {Shell} from '../startup-file/detect.mts';
import {readBlocks} from '../startup-file/edit.mts';
import {blockValues} from '../startup-file/fresh-shell.mts';

export interface WrittenCheck {
  lines: string[];
  failed: boolean;
}

export async function checkWrittenValues(shell: Shell, file: string, fresh: Env): Promise<WrittenCheck> {
  const written: Record<string, string> = {};
  for (const block of readBlocks(file)) Object.assign(written, await blockValues(shell, block.body));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(written)) {
    if (fresh[name] !== value) problems.push(`${name} is ${fresh[name] === undefined ? 'unset' : JSON.stringify(fresh[name])} there, but the block sets ${JSON.stringify(value)}`);
  }
  const entries = new Set(['no_proxy', 'NO_PROXY'].flatMap((name) => written[name]?.split(',') ?? []).filter((entry) => entry !== ''));
  for (const entry of entries) {
    const url = entryUrl(entry);
    if (url && predict('curl', url, fresh).outcome !== 'direct') problems.push(`curl would send requests for ${entry} through the proxy`);
  }
  if (Object.keys(written).length === 0) return {lines: [`no block of this project in ${file}`], failed: false};
  const checked = `${Object.keys(written).length} variable(s) and ${entries.size} NO_PROXY entr${entries.size === 1 ? 'y' : 'ies'} the block writes`;
  return problems.length === 0
    ? {lines: [`${checked}: all as written`], failed: false}
    : {lines: [`${checked}: ${problems.length} problem(s)`, ...problems.map((p) => `  ${p}`)], failed: true};
}

/** A URL whose host is the entry (`.corp.example.com` → a host in that domain); none for ranges and `*`. */
function entryUrl(entry: string): string | undefined {
  if (entry.includes('/') || entry.includes('*')) return undefined;
  const host = entry.startsWith('.') ? `host${entry}` : entry;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    return new URL(`http://${bracketed}/`).href;
  } catch {
    return undefined;
  }
}
