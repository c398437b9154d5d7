// A translated page must yield the same runbooks, steps, meta and code as its English source;
// comment lines may differ only in blocks marked `comments-may-differ`.
import {readFileSync} from 'node:fs';
import {relative, resolve} from 'node:path';
import type {ParamSpec, RunbookPlan, Step} from '../plan/plan.mts';
import {REPO_ROOT} from './docs.mts';
import {extractPage, type PageExtraction} from './extract.mts';

export interface TranslationDifference {
  /** The translated page, relative to the repository root. */
  page: string;
  line: number;
  runbook: string | null;
  step: string | null;
  message: string;
}

const COMMENT_LINE = /^\s*(#|\/\/)/;

function withoutCommentLines(code: string): string {
  return code.split('\n').filter((line) => !COMMENT_LINE.test(line)).join('\n');
}

// What may differ between the languages; every other field must match. A field added to the plan
// is compared until it is listed here.
export const TRANSLATABLE_PARAM_FIELDS = new Set<keyof ParamSpec>(['help']);
/** `code` is compared on its own below (comment lines may differ where the block allows it). */
export const TRANSLATABLE_STEP_FIELDS = new Set<keyof Step>(['line', 'reason', 'code']);

function withoutFields<T extends object>(value: T, fields: Set<keyof T>): string {
  return JSON.stringify(Object.entries(value).filter(([key]) => !fields.has(key as keyof T)));
}

const paramKey = (p: ParamSpec) => withoutFields(p, TRANSLATABLE_PARAM_FIELDS);
const stepMetaKey = (s: Step) => withoutFields(s, TRANSLATABLE_STEP_FIELDS);

function compareRunbook(en: RunbookPlan, zh: RunbookPlan, report: (line: number, step: string | null, message: string) => void): void {
  const enParams = en.params.map(paramKey).join('\n');
  if (enParams !== zh.params.map(paramKey).join('\n')) {
    report(1, null, 'front matter params differ from the English page (only help may be translated)');
  }
  const enIds = en.steps.map((s) => s.id);
  const zhIds = zh.steps.map((s) => s.id);
  for (const id of enIds.filter((id) => !zhIds.includes(id))) report(1, id, 'step is missing from the translation');
  for (const step of zh.steps.filter((s) => !enIds.includes(s.id))) report(step.line, step.id, 'step does not exist in the English page');
  const common = enIds.filter((id) => zhIds.includes(id));
  if (common.join(',') !== zhIds.filter((id) => enIds.includes(id)).join(',')) {
    report(1, null, `steps are in a different order (English: ${enIds.join(', ')})`);
  }
  for (const id of common) {
    const e = en.steps.find((s) => s.id === id)!;
    const z = zh.steps.find((s) => s.id === id)!;
    if (stepMetaKey(e) !== stepMetaKey(z)) {
      report(z.line, id, 'fence attributes differ from the English page');
    } else if (e.commentsMayDiffer ? withoutCommentLines(e.code) !== withoutCommentLines(z.code) : e.code !== z.code) {
      const allowed = e.commentsMayDiffer ? ' (apart from comment lines)' : e.kind === 'manual' ? '' : ' (mark the block comments-may-differ to translate its comments)';
      report(z.line, id, `code differs from the English page${allowed}`);
    }
  }
}

export function compareTranslationPages(en: PageExtraction, zh: PageExtraction): TranslationDifference[] {
  const differences: TranslationDifference[] = [];
  const add = (runbook: string | null) => (line: number, step: string | null, message: string) =>
    differences.push({page: zh.file, line, runbook, step, message});
  for (const e of en.runbooks) {
    const z = zh.runbooks.find((r) => r.name === e.name);
    if (z) compareRunbook(e, z, add(e.name));
    else add(e.name)(1, null, `missing from the translation (declared in ${en.file})`);
  }
  for (const z of zh.runbooks.filter((r) => !en.runbooks.some((e) => e.name === r.name))) {
    add(z.name)(1, null, `not declared in ${en.file}`);
  }
  return differences;
}

/**
 * Compares a translated page with its English source, both given as paths; the differences name
 * the pages relative to `root` (the repository by default).
 */
export function compareTranslationSteps(enFile: string, zhFile: string, root = REPO_ROOT): TranslationDifference[] {
  const display = (file: string) => relative(root, resolve(file)).split('\\').join('/');
  const en = extractPage(display(enFile), readFileSync(enFile, 'utf8'));
  const zh = extractPage(display(zhFile), readFileSync(zhFile, 'utf8'));
  return compareTranslationPages(en, zh);
}
