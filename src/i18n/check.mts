// `i18n:check`: everything `analyzeRepository` finds, plus the runbook-step comparison of each
// translation with its English source.
import {analyzeRepository, type PageStatus} from './status.mts';

export async function checkRepository(root: string): Promise<PageStatus[]> {
  return analyzeRepository(root);
}
