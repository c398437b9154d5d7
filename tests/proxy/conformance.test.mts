// src/proxy against the clients' own test suites: tests/proxy/conformance/*.json hold the
// NO_PROXY cases of each upstream suite (cases, not code), with the source file, the version it
// describes and the cases a real URL cannot produce (with the reason). Every case must predict
// what the maintainers' test asserts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {type ClientId, type Env, type PredictOptions, predict} from '../../src/proxy/predict.mts';

interface Expectation {
  outcome: 'direct' | 'via' | 'fails';
  proxy?: string;
}

interface Table {
  client: string;
  source: string;
  version: string;
  commit: string;
  predict: {client: ClientId; options: PredictOptions};
  cases: {url: string; env: Env; expect: Expectation; from?: string}[];
  notReproducible: {reason: string; url?: string}[];
}

const DIR = path.join(import.meta.dirname, 'conformance');
const TABLES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe('conformance with the clients\' own NO_PROXY tests', () => {
  it('has a table per client suite, each naming its source and version', () => {
    expect(TABLES.length).toBeGreaterThanOrEqual(3);
  });

  for (const file of TABLES) {
    const table = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Table;
    it(`${table.client}: ${table.cases.length} cases of ${table.source} (${table.version})`, () => {
      expect(table.notReproducible.every((c) => c.reason.length > 20)).toBe(true);
      const mismatches = table.cases.flatMap((c) => {
        const got = predict(table.predict.client, c.url, c.env, table.predict.options);
        const same = got.outcome === c.expect.outcome && (c.expect.outcome !== 'via' || got.proxy === c.expect.proxy);
        return same ? [] : [`${c.url} ${JSON.stringify(c.env)}: upstream ${c.expect.outcome} ${c.expect.proxy ?? ''}, predicted ${got.outcome} ${got.proxy ?? ''} (${got.rule})`];
      });
      expect(mismatches).toEqual([]);
    });
  }
});
