// The one content hash of the project: sha256, as lowercase hex (what `sha256sum` prints).
import {createHash} from 'node:crypto';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
