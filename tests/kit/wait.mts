// The tests' one polling loop: wait for a condition, never for a fixed time (a loaded machine
// makes every fixed sleep too short some day).

/**
 * Reads `read` until `done` holds for its value or `timeoutMs` passes (checked after each read, so
 * it reads at least once); returns the last value and whether the condition was met.
 */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 25): Promise<{met: boolean; value: T}> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return {met: true, value};
    if (performance.now() > deadline) return {met: false, value};
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
