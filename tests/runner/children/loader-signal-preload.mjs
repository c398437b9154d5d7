// Preloaded (NODE_OPTIONS=--import=THIS) into the zx process by tests/runner/interrupted-run.stack.test.mts.
// It acts the moment the served file's loader starts holding signals (the loader then sets, on
// globalThis, the function named by Symbol.for(LOADER_HELD_SIGNALS_KEY)), before the loader has
// checked the bytes and loaded the runtime: PRELOAD_ACTION=send-term sends the process TERM then;
// PRELOAD_ACTION=report-hup makes the loader report a HUP among the signals it held.
delete process.env.NODE_OPTIONS; // not passed on to the run's own processes
const action = process.env.PRELOAD_ACTION;
let release;
Object.defineProperty(globalThis, Symbol.for(process.env.LOADER_HELD_SIGNALS_KEY), {
  configurable: true,
  get: () => release,
  set(value) {
    if (action === 'send-term') {
      release = value;
      process.kill(process.pid, 'SIGTERM');
    } else if (action === 'report-hup') {
      release = () => [...value(), 'SIGHUP'];
    } else {
      throw new Error(`PRELOAD_ACTION=${action}: expected send-term or report-hup`);
    }
  },
});
