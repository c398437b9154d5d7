// `i18n:check`: everything `analyzeRepository` finds, plus the runbook-step comparison of each
// translation with its English source (src/extraction/translation.mts).
import {join} from 'node:path';
import {compareTranslationSteps} from '../extraction/index.mts';
import {analyzeRepository, type PageStatus} from './status.mts';

function compareSteps(root: string, status: PageStatus): string[] {
  try {
    return compareTranslationSteps(join(root, status.englishFile), join(root, status.translationFile)).map((d) => {
      const where = [d.runbook && `runbook ${d.runbook}`, d.step && `step ${d.step}`].filter(Boolean).join(', ');
      return `runbook steps differ from the English page at line ${d.line}${where ? ` (${where})` : ''}: ${d.message}`;
    });
  } catch (error) {
    return [`cannot compare runbook steps: ${(error as Error).message.split('\n')[0]}`];
  }
}

export async function checkRepository(root: string): Promise<PageStatus[]> {
  const statuses = await analyzeRepository(root);
  for (const status of statuses.filter((s) => s.state === 'translated')) {
    for (const message of compareSteps(root, status)) status.problems.push({code: 'steps-differ', message});
  }
  return statuses;
}
