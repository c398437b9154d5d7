// The two ways the tests reach a mirror: directly, and through the stack's `forward` Squid (started
// once per run by tests/stack/global-setup.mts). Each route checks, on both ends, that requests
// really went its way: the mirror sees Squid's Via header only on proxied requests, and Squid's
// access log lists every proxied request.
import {expect} from 'vitest';
import type {RunningServer} from '../../../src/stack/mirrors/http.mts';
import {cleanEnv} from './clients.mts';
import {proxyEverything} from '../../kit/proxy-env.mts';
import {accessLog, settledLog, stackInfo} from '../../kit/stack.mts';

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

export function useRoute(name: RouteName): Route {
  const proxied = name !== 'directly';
  const {squid, squidMissing} = stackInfo();
  const forward = proxied ? squid?.forward : undefined;

  return {
    skipReason: proxied ? (squidMissing ?? undefined) : undefined,
    env: (extra = {}) => cleanEnv({...(forward === undefined ? {} : proxyEverything(forward.url)), ...extra}),
    mark: (server) => ({served: server.requests.length, logged: forward === undefined ? 0 : accessLog('forward').mark()}),
    async expectTaken(server, since) {
      const served = server.requests.slice(since.served);
      expect(served.length).toBeGreaterThan(0);
      if (forward === undefined) {
        expect(served.filter((r) => r.via !== null)).toEqual([]);
        return;
      }
      expect(served.filter((r) => !/squid/i.test(r.via ?? ''))).toEqual([]);
      // Squid logs URLs without their query (strip_query_terms), so compare without it.
      const expected = served.map((r) => `${r.method} ${withoutQuery(server.url + r.path)}`);
      // Other test files may use the same Squid at the same time: their lines are there too.
      const logged = (await settledLog('forward', since.logged)).map((e) => `${e.method} ${withoutQuery(e.url)}`);
      for (const line of expected) expect(logged).toContain(line);
    },
  };
}
