// Child process of crash-safety.stack.test.mts, killed with SIGKILL at a random point of its loop:
// `node <bundled this> rc|file FILE BLOCK_ID CONTENT...` rewrites a startup-file block (`rc`, the
// code a runbook's persist step runs) or the whole file (`file`, a file step with --force; the block
// id is unused) over and over, alternating the contents. It prints `ready` once loaded and starts
// writing when a line comes on stdin, so that it writes while the parent's kill timer runs rather
// than while the parent is still getting round to reading `ready`.
import {readSync} from 'node:fs';
import {applyBlock} from '../../../src/startup-file/edit.mts';
import {writeStepFile} from '../../../src/runner/files.mts';

const [mode, file, blockId, ...contents] = process.argv.slice(2);
process.stdout.write('ready\n');
readSync(0, Buffer.alloc(1));
for (let i = 0; ; i++) {
  const content = contents[i % contents.length]!;
  if (mode === 'rc') applyBlock(file!, blockId!, content, 'bash');
  else writeStepFile(file!, content, true);
}
