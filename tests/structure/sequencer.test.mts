// The sequencer's list of long chains (tests/kit/sequencer.mts) names test files that exist:
// a renamed file would silently lose its early start on a fresh clone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {expect, it} from 'vitest';
import {LONG_CHAINS} from '../kit/sequencer.mts';

const ROOT = path.resolve(import.meta.dirname, '../..');

it('every long chain the sequencer starts first is a test file', () => {
  expect(LONG_CHAINS.filter((file) => !file.endsWith('.test.mts') || !fs.existsSync(path.join(ROOT, file)))).toEqual([]);
});
