// The two ways the tests reach a mirror: directly, and through the stack's `forward` Squid (started
// once per run by tests/stack/global-setup.mts). Each route checks, on both ends, that requests
// really went its way: the mirror sees Squid's Via header only on proxied requests, and Squid's
// access log lists every proxied request.
import {expect} from 'vitest';
import {setTimeout as sleep} from 'node:timers/promises';
import {AccessLog} from '../../../src/stack/index.mts';
import type {RunningServer} from '../../../src/stack/mirrors/http.mts';
import {cleanEnv, proxyEnv} from './clients.mts';
import {stackInfo} from '../../kit/stack.mts';

export const ROUTES = ['directly', 'through the forward Squid'] as const;
export type RouteName = (typeof ROUTES)[number];

export interface RouteMark {
  served: number;
  logged: number;
}

export interface Route {
  /** Why this route's tests must skip (Squid is missing), or undefined. */
  skipReason: string | undefined;
  /** A clean client environment, with the proxy variables set on the Squid route. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  mark(server: RunningServer): RouteMark;
  /** Asserts that every request `server` answered since `since` came the route's way. */
  expectTaken(server: RunningServer, since: RouteMark): Promise<void>;
}

const withoutQuery = (url: string) => url.split('?')[0];

/** Squid's log lines (method and URL without query) since `mark`, once all of `expected` are there or after 3 s. */
async function loggedRequests(log: AccessLog, mark: number, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    // Other test files may use the same Squid at the same time: wait for our lines, ignore theirs.
    const logged = log.linesSince(mark).map((e) => `${e.method} ${withoutQuery(e.url)}`);
    if (expected.every((line) => logged.includes(line)) || Date.now() > deadline) return logged;
    await sleep(25);
  }
}

export function useRoute(name: RouteName): Route {
  const proxied = name !== 'directly';
  const {squid, squidMissing} = stackInfo();
  const forward = proxied ? squid?.forward : undefined;
  const log = forward === undefined ? undefined : new AccessLog(forward.accessLog);

  return {
    skipReason: proxied ? (squidMissing ?? undefined) : undefined,
    env: (extra = {}) => cleanEnv({...(forward === undefined ? {} : proxyEnv(forward.url)), ...extra}),
    mark: (server) => ({served: server.requests.length, logged: log?.mark() ?? 0}),
    async expectTaken(server, since) {
      const served = server.requests.slice(since.served);
      expect(served.length).toBeGreaterThan(0);
      if (log === undefined) {
        expect(served.filter((r) => r.via !== null)).toEqual([]);
        return;
      }
      expect(served.filter((r) => !/squid/i.test(r.via ?? ''))).toEqual([]);
      // Squid logs URLs without their query (strip_query_terms), so compare without it.
      const expected = served.map((r) => `${r.method} ${withoutQuery(server.url + r.path)}`);
      const logged = await loggedRequests(log, since.logged, expected);
      for (const line of expected) expect(logged).toContain(line);
    },
  };
}
