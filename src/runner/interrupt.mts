// What Ctrl-C (SIGINT), TERM or HUP does to a run: it stops what it started, leaves no file behind,
// then raises the signal again, so that the run ends by it and its exit status says so (a shell
// shows 128+N: 130, 143, 129).
// - The running step. Ctrl-C in a terminal reaches the whole foreground process group, the step's
//   processes with it. A TERM or HUP sent to the runner alone (`kill PID`, a batch scheduler, a
//   service manager) does not: the runner forwards it to the step's processes (src/io's
//   stopRunningTrees: its process tree, and any process marked as the step's that the tree no longer
//   holds), so bash, curl and a runbook-netcheck helper stop at once instead of running to their own
//   end; what still runs STEP_GRACE_MS later (a step that ignores TERM) gets SIGKILL.
//   INT is not forwarded: from a terminal the step has it already, and a second one could cut its
//   own cleanup short.
// - The programs the run itself started (curl for a probe, Python for versions: src/io's
//   signalRunningCommands) get the signal whichever it is: one started as Ctrl-C reached the
//   process group, in the moment before this handler ran, did not get it. A runbook-netcheck helper
//   is a run of the runbook too, so its curl processes stop with it.
// - Files: the run's temp dir (run-temp.mts), and zx's download of the runbook into the working
//   directory (zx-download.mts), which zx itself removes only when the process exits normally.
// - A signal that came before these handlers, while the served file's loader was loading the
//   runtime: the loader held it (src/plan/whole-file.mts), and it is acted on as they are installed.
import * as fs from 'node:fs';
import {signalRunningCommands, stopRunningTrees} from '../io/index.mts';
import {LOADER_HELD_SIGNALS} from '../plan/index.mts';
import {zxDownloadedCopy} from './zx-download.mts';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const FORWARDED: ReadonlySet<NodeJS.Signals> = new Set(['SIGTERM', 'SIGHUP']);
const STEP_GRACE_MS = 2_000;

/**
 * Until the returned function is called, Ctrl-C, TERM or HUP forwards TERM and HUP to the running
 * step, calls `removeTemp`, removes zx's download of `scriptPath` (when it is that), and ends the
 * process by the signal.
 */
export function cleanUpOnInterrupt(scriptPath: string, removeTemp: () => void): () => void {
  const download = zxDownloadedCopy(scriptPath);
  const stop = () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    signalRunningCommands(signal);
    if (FORWARDED.has(signal)) stopRunningTrees(signal, STEP_GRACE_MS);
    removeTemp();
    if (download) fs.rmSync(download, {force: true});
    // Listening until here: a second signal meanwhile waits instead of ending the cleanup halfway.
    stop();
    process.kill(process.pid, signal);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // One that came while the served file's loader was still checking and loading this runtime.
  const held = loaderHeldSignals()[0];
  if (held) onSignal(held);
  return stop;
}

/** Stops the served file's loader holding signals (src/plan/whole-file.mts); the ones it held. */
function loaderHeldSignals(): NodeJS.Signals[] {
  const release = (globalThis as Record<symbol, unknown>)[Symbol.for(LOADER_HELD_SIGNALS)];
  return typeof release === 'function' ? (release as () => NodeJS.Signals[])() : [];
}
