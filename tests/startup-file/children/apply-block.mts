// Child process for the tests that need applyBlock in another process: as another user, in a
// private mount namespace, on a full file system. `node <bundled this> FILE ID BODY` writes BODY
// as bash block ID into FILE and prints `written`, or prints the one-line error it got.
import {applyBlock} from '../../../src/startup-file/edit.mts';

const [file, id, body] = process.argv.slice(2);
try {
  applyBlock(file!, id!, body!, 'bash');
  console.log('written');
} catch (error) {
  console.log((error as Error).message);
}
