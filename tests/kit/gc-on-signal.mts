// Preloaded (with --expose-gc) into the mock vLLM child by the abuse test and bench: SIGUSR2 runs a
// full garbage collection and answers `gc done` on stdout, so memory can be compared with the
// baseline without waiting for V8 to collect on its own schedule.
process.on('SIGUSR2', () => {
  (globalThis as {gc?: () => void}).gc?.();
  process.stdout.write('gc done\n');
});
