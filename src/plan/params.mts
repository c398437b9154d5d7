// Parameter values: validated per type so that no value can change the shell meaning of the doc's
// text, then substituted for the default text the page shows.
import {escapeRegex} from '../io/text.mts';
import type {ParamSpec, ParamType, Step} from './plan.mts';

// Characters allowed in values: none of them is special to bash inside or outside double quotes
// except as part of a word ('~' only expands at the start of a word, which is what a path wants).
const URL_CHARS = /^[A-Za-z0-9._~%:@/=+,\[\]-]+$/;
const HOST_ENTRY = /^[A-Za-z0-9.*:_/\[\]-]+$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;
const PATH = /^[A-Za-z0-9._/~+@%,=:-]+$/;
const INT = /^(0|[1-9][0-9]{0,8})$/;
const MAX_LENGTH = 4096;

function urlProblem(value: string): string | null {
  if (!URL_CHARS.test(value)) return 'a URL may only contain letters, digits and ._~%:@/=+,[]-';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? null : 'the URL must start with http:// or https://';
}

function listProblem(value: string, entryProblem: (entry: string) => string | null): string | null {
  for (const entry of value.split(',')) {
    if (entry === '') return 'empty entry in comma-separated list';
    const problem = entryProblem(entry);
    if (problem) return `${JSON.stringify(entry)}: ${problem}`;
  }
  return null;
}

const checks: Record<ParamType, (value: string) => string | null> = {
  url: urlProblem,
  'url-list': (value) => listProblem(value, urlProblem),
  name: (value) => (NAME.test(value) ? null : 'a name may only contain letters, digits and ._/:@+- (not first)'),
  'host-list': (value) =>
    listProblem(value, (entry) => (HOST_ENTRY.test(entry) ? null : 'a host may only contain letters, digits and .*:_/[]-')),
  path: (value) => (PATH.test(value) ? null : 'a path may only contain letters, digits and ._/~+@%,=:-'),
  int: (value) => (INT.test(value) ? null : 'not a whole number'),
};

/** Why `value` is not acceptable for a parameter of `type`, or null when it is. */
export function paramValueProblem(type: ParamType, value: string): string | null {
  if (value.length > MAX_LENGTH) return `longer than ${MAX_LENGTH} characters`;
  return checks[type](value);
}

// A default only counts where it stands alone: the port 8000 is not the end of 18000, and the
// model name `auto` is not the start of `autocomplete`.
function occurrences(defaults: string[]): RegExp {
  const alternatives = [...defaults].sort((a, b) => b.length - a.length).map(escapeRegex).join('|');
  return new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives})(?![A-Za-z0-9_])`, 'g');
}

/** Whether `text` shows the parameter's default where substituteParams would replace it. */
export function showsDefault(text: string, defaultText: string): boolean {
  return defaultText !== '' && occurrences([defaultText]).test(text);
}

/**
 * Replaces, in one pass, every standalone occurrence of the default text of each parameter the
 * step declares with that parameter's value (longest default first, so overlapping defaults
 * resolve predictably).
 */
export function substituteParams(
  text: string,
  step: Pick<Step, 'params'>,
  params: ParamSpec[],
  values: Record<string, string>,
): string {
  const used = params.filter((p) => step.params.includes(p.name) && p.default !== '');
  if (used.length === 0) return text;
  const byDefault = new Map(used.map((p) => [p.default, values[p.name] ?? p.default]));
  return text.replace(occurrences([...byDefault.keys()]), (match) => byDefault.get(match) ?? match);
}

export interface ParamSpan {
  start: number;
  end: number;
  param: ParamSpec;
}

/** Where in `text` substituteParams would put a value: one span per replaced default. */
export function paramSpans(text: string, step: Pick<Step, 'params'>, params: ParamSpec[]): ParamSpan[] {
  const used = params.filter((p) => step.params.includes(p.name) && p.default !== '');
  if (used.length === 0) return [];
  const byDefault = new Map(used.map((p) => [p.default, p]));
  return [...text.matchAll(occurrences([...byDefault.keys()]))].map((m) => ({start: m.index, end: m.index + m[0].length, param: byDefault.get(m[0])!}));
}
