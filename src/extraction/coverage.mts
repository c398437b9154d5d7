// `docs:coverage`: per page and in total, how many code blocks run in CI, how many are manual
// (with their reasons) and how many are not annotated at all.
import type {DocsExtraction} from './docs.mts';
import type {BlockRecord} from './extract.mts';

export interface PageCoverage {
  file: string;
  ci: number;
  manual: {line: number; reason: string}[];
  unannotated: {line: number; lang: string}[];
  diagrams: number;
}

export function pageCoverage(file: string, blocks: BlockRecord[]): PageCoverage {
  return {
    file,
    ci: blocks.filter((b) => b.class === 'step').length,
    manual: blocks.filter((b) => b.class === 'manual').map((b) => ({line: b.line, reason: b.reason ?? ''})),
    unannotated: blocks.filter((b) => b.class === 'unannotated').map((b) => ({line: b.line, lang: b.lang})),
    diagrams: blocks.filter((b) => b.class === 'diagram').length,
  };
}

// The share the site promises: of the English pages' bash/python blocks, how many run in CI.
const SHELL_OR_PYTHON = new Set(['bash', 'sh', 'shell', 'python']);

export function englishShellShare(docs: DocsExtraction): {ci: number; total: number} {
  const blocks = docs.pages.filter((p) => p.locale === 'en').flatMap((p) => p.blocks).filter((b) => SHELL_OR_PYTHON.has(b.lang));
  return {ci: blocks.filter((b) => b.class === 'step').length, total: blocks.length};
}

export function coverageReport(docs: DocsExtraction): {text: string; complete: boolean} {
  const pages = docs.pages.map((p) => pageCoverage(p.file, p.blocks));
  const width = Math.max(5, ...pages.map((p) => p.file.length));
  const row = (name: string, ci: number | string, manual: number | string, none: number | string, diagrams: number | string) =>
    `${name.padEnd(width)}  ${String(ci).padStart(4)}  ${String(manual).padStart(6)}  ${String(none).padStart(13)}  ${String(diagrams).padStart(8)}`;
  const lines = [row('page', 'CI', 'manual', 'not annotated', 'diagrams')];
  for (const p of pages) lines.push(row(p.file, p.ci, p.manual.length, p.unannotated.length, p.diagrams));
  const sum = (f: (p: PageCoverage) => number) => pages.reduce((n, p) => n + f(p), 0);
  lines.push(row('total', sum((p) => p.ci), sum((p) => p.manual.length), sum((p) => p.unannotated.length), sum((p) => p.diagrams)));
  const share = englishShellShare(docs);
  const percent = share.total === 0 ? 100 : Math.round((share.ci / share.total) * 100);
  lines.push('', `English pages: ${share.ci} of ${share.total} bash/python blocks run in CI (${percent} %)`);
  const manual = pages.flatMap((p) => p.manual.map((m) => `  ${p.file}:${m.line}: ${m.reason}`));
  if (manual.length > 0) lines.push('', 'manual blocks:', ...manual);
  const missing = pages.flatMap((p) => p.unannotated.map((u) => `  ${p.file}:${u.line}: \`\`\`${u.lang} block has no runbook= or kind=manual reason="…"`));
  if (missing.length > 0) lines.push('', 'not annotated (each needs runbook=… or kind=manual reason="…"):', ...missing);
  const errors = docs.errors.map((e) => `  ${e.file}:${e.line}: ${e.message}`);
  if (errors.length > 0) lines.push('', 'annotation errors:', ...errors);
  return {text: lines.join('\n'), complete: missing.length === 0 && errors.length === 0};
}
