// Human-readable output of translation statuses: the `i18n:status` table and `i18n:check` lines.
import type {PageStatus} from './status.mts';

export const sectionLabel = (section: string | null): string => section ?? '(top of page)';

function flagColumn(status: PageStatus): string {
  if (status.meta === undefined) return '';
  if (status.outdated === undefined) return `outdated: ${status.meta.outdated} (unverified)`;
  return status.meta.outdated === status.outdated
    ? `outdated: ${status.meta.outdated} (correct)`
    : `outdated: ${status.meta.outdated} (LIE: should be ${status.outdated})`;
}

function stateColumn(status: PageStatus): string {
  if (status.state !== 'translated') return status.state;
  if (status.historyGap) return 'translated, history missing';
  if (status.outdated === undefined) return 'translated, invalid';
  return status.outdated ? 'translated, OUTDATED' : 'translated, fresh';
}

/** The `i18n:status` table, one row per English page and locale. */
export function statusTable(statuses: PageStatus[]): string {
  const header = ['page', 'locale', 'state', 'source_commit', 'commits since', 'lines +/-', 'changed sections', 'flag'];
  const rows = statuses.map((s) => [
    s.englishFile,
    s.locale,
    stateColumn(s),
    s.meta?.source_commit ?? '',
    s.commitsSince === undefined ? '' : String(s.commitsSince),
    s.linesAdded === undefined ? '' : `+${s.linesAdded}/-${s.linesRemoved}`,
    (s.changedSections ?? []).map(sectionLabel).join('; '),
    flagColumn(s),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

/** One line per problem, naming the page: the translation when there is one, else the English page. */
export function problemLines(statuses: PageStatus[]): string[] {
  return statuses.flatMap((s) => {
    const file = s.state === 'missing' || s.state === 'missing-allowed' ? s.englishFile : s.translationFile;
    return s.problems.map((p) => `${file}: ${p.message} [${p.code}]`);
  });
}

export function historyGapLines(statuses: PageStatus[]): string[] {
  return statuses.filter((s) => s.historyGap).map((s) => `${s.translationFile}: ${s.historyGap}`);
}
