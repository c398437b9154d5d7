// The truth about each translated page, computed from git: is it outdated, and what changed since.
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {compareContent} from './content-diff.mts';
import {readTranslationMeta, type TranslationMeta} from './front-matter.mts';
import {fileAtCommit, historySince, isAncestorOfHead, isShallow, resolveCommit} from '../io/index.mts';
import {DOCS_DIR, englishFile, listPages, translationDir, translationFile} from '../site-layout/index.mts';
import {readConfig} from './config.mts';

export type ProblemCode =
  | 'missing-translation'
  | 'no-source'
  | 'malformed-front-matter'
  | 'wrong-source-file'
  | 'unknown-commit'
  | 'not-ancestor'
  | 'source-absent-at-commit'
  | 'outdated-flag-lies'
  | 'steps-differ'
  | 'stale-config';

export interface Problem {
  code: ProblemCode;
  message: string;
}

export interface PageStatus {
  locale: string;
  /** Docs-relative path shared by the English page and its translation, e.g. "guides/page.md". */
  page: string;
  englishFile: string;
  translationFile: string;
  state: 'translated' | 'missing' | 'missing-allowed' | 'orphan';
  /** The translation's front matter, when it could be read. */
  meta?: TranslationMeta;
  /** The truth from git: does the English content differ from its content at source_commit? */
  outdated?: boolean;
  /** Commits that touched the English file since source_commit (renames followed). */
  commitsSince?: number;
  linesAdded?: number;
  linesRemoved?: number;
  /** Headings of the English sections that changed; null = the part before the first heading. */
  changedSections?: (string | null)[];
  problems: Problem[];
  /** Set when git history needed for an answer is not in this clone; says what to fetch. */
  historyGap?: string;
}

/** Analyzes one translated page against its English source. */
export async function analyzeTranslation(root: string, locale: string, page: string): Promise<PageStatus> {
  const status: PageStatus = {
    locale, page, englishFile: englishFile(page), translationFile: translationFile(locale, page),
    state: 'translated', problems: [],
  };
  const problem = (code: ProblemCode, message: string): PageStatus => {
    status.problems.push({code, message});
    return status;
  };
  const english = await readFile(join(root, status.englishFile), 'utf8').catch(() => null);
  if (english === null) {
    status.state = 'orphan';
    return problem('no-source', `no English source: ${status.englishFile} does not exist`);
  }
  const parsed = readTranslationMeta(await readFile(join(root, status.translationFile), 'utf8'));
  if (!parsed.ok) return problem('malformed-front-matter', parsed.error);
  const meta = (status.meta = parsed.meta);
  if (meta.source_file !== status.englishFile) {
    problem('wrong-source-file', `translation.source_file is ${JSON.stringify(meta.source_file)}, but this page's English source is ${JSON.stringify(status.englishFile)}`);
  }
  const commit = await resolveCommit(root, meta.source_commit);
  if (commit === null) {
    if (await isShallow(root)) {
      status.historyGap = `source_commit ${meta.source_commit} is not in this shallow clone: run \`git fetch --unshallow\``;
      return status;
    }
    return problem('unknown-commit', `source_commit ${meta.source_commit} is not a commit in this repository (if it exists upstream: \`git fetch origin ${meta.source_commit}\`)`);
  }
  if (!(await isAncestorOfHead(root, commit))) {
    if (await isShallow(root)) {
      status.historyGap = `cannot tell whether source_commit ${meta.source_commit} is an ancestor of HEAD in this shallow clone: run \`git fetch --unshallow\``;
      return status;
    }
    return problem('not-ancestor', `source_commit ${meta.source_commit} is not an ancestor of HEAD (it is on another branch or was rewritten)`);
  }
  const history = await historySince(root, commit, status.englishFile);
  const before = await fileAtCommit(root, commit, history.pathAtSince);
  if (before === null) {
    return problem('source-absent-at-commit', `${history.pathAtSince} does not exist at source_commit ${meta.source_commit}`);
  }
  const change = compareContent(before, english);
  status.outdated = change.added + change.removed > 0;
  status.commitsSince = history.commits.length;
  status.linesAdded = change.added;
  status.linesRemoved = change.removed;
  status.changedSections = change.sections;
  if (meta.outdated !== status.outdated) {
    problem('outdated-flag-lies', `outdated: ${meta.outdated} is not true: the English content ${status.outdated ? 'changed' : 'is unchanged'} since ${meta.source_commit} (should be outdated: ${status.outdated})`);
  }
  return status;
}

/** One status per English page and tracked locale, plus translations that have no English page. */
export async function analyzeRepository(root: string): Promise<PageStatus[]> {
  const config = await readConfig(root);
  const englishPages = listPages(root, DOCS_DIR);
  const statuses: PageStatus[] = [];
  for (const locale of config.locales) {
    const translated = new Set(listPages(root, translationDir(locale)));
    const allowed = new Set(config.allowedMissing[locale] ?? []);
    for (const page of [...new Set([...englishPages, ...translated])].sort()) {
      if (translated.has(page)) {
        statuses.push(await analyzeTranslation(root, locale, page));
        continue;
      }
      const missing: PageStatus = {
        locale, page, englishFile: englishFile(page), translationFile: translationFile(locale, page),
        state: allowed.has(page) ? 'missing-allowed' : 'missing', problems: [],
      };
      if (!allowed.has(page)) {
        missing.problems.push({code: 'missing-translation', message: `no ${locale} translation (translate it, or list "${page}" under allowedMissing.${locale} in i18n/translations.config.json)`});
      }
      statuses.push(missing);
    }
    for (const page of allowed) {
      if (!englishPages.includes(page)) {
        statuses.push({
          locale, page, englishFile: englishFile(page), translationFile: translationFile(locale, page),
          state: 'missing-allowed',
          problems: [{code: 'stale-config', message: `allowedMissing.${locale} lists "${page}", which is not an English page`}],
        });
      }
    }
  }
  return statuses;
}
