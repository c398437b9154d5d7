// A pause that blocks the thread: for the few places that must wait without returning to the event
// loop (a lock's retry, a process that is ending and waits for its step to go).
const cell = new Int32Array(new SharedArrayBuffer(4));

export function sleepSync(ms: number): void {
  Atomics.wait(cell, 0, 0, ms);
}
