// The committed runbooks/ is what `npm run runbooks` makes from the docs and src/ of this checkout:
// someone who changes a page or the runtime's code and runs the tests learns here that the files
// users run (and the site serves) are stale, and what to run.
import {describe, expect, it} from 'vitest';
import {staleRunbookProblems} from '../../src/extraction/check.mts';

describe('the committed runbooks/', () => {
  it('is what the docs and src/ produce', {timeout: 120_000}, async () => {
    const problems = await staleRunbookProblems();
    expect(problems, 'runbooks/ is stale: run `npm run runbooks` (after committing any changed page) and commit runbooks/').toEqual([]);
  });
});
