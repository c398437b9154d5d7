// `npm run docs:coverage` for the restricted-network guide: every block classified (run in CI or
// manual with a reason), none unannotated, the same split in both languages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {coverageReport, pageCoverage} from '../../src/extraction/coverage.mts';
import {LOCALE_DIRS, extractDocs} from '../../src/extraction/docs.mts';
import {extractPage} from '../../src/extraction/extract.mts';
import {REPO} from '../kit/runbooks.mts';

const PAGE = 'guides/restricted-networks.md';
const files = Object.values(LOCALE_DIRS).map((dir) => `${dir}/${PAGE}`);

describe('docs:coverage of the restricted-network guide', () => {
  const coverage = files.map((file) => {
    const page = extractPage(file, fs.readFileSync(path.join(REPO, file), 'utf8'));
    return {errors: page.errors, ...pageCoverage(file, page.blocks)};
  });

  it('classifies every block in both languages: none unannotated, no annotation errors, every manual block with a reason', () => {
    for (const page of coverage) {
      expect(page.errors, page.file).toEqual([]);
      expect(page.unannotated, page.file).toEqual([]);
      expect(page.ci, page.file).toBeGreaterThan(0);
      expect(page.manual.filter((m) => m.reason.trim() === ''), page.file).toEqual([]);
    }
    const [en, zh] = coverage;
    expect([zh.ci, zh.manual.length, zh.diagrams]).toEqual([en.ci, en.manual.length, en.diagrams]);
  });

  // What `npm run docs:coverage` prints (CI runs the command itself; this checks its rows here).
  it('the coverage report shows the same counts and is complete', () => {
    const report = coverageReport(extractDocs(REPO));
    expect(report.complete, report.text).toBe(true);
    for (const page of coverage) {
      const row = report.text.split('\n').find((line) => line.startsWith(`${page.file} `));
      expect(row?.trim().split(/\s+/).slice(1), page.file).toEqual([page.ci, page.manual.length, 0, page.diagrams].map(String));
    }
  });
});
