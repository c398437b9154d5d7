// A minimal zip writer, enough for a wheel: stored (uncompressed) entries, a fixed 1980-01-01
// timestamp and fixed permissions, so the same entries always give the same bytes.
import {crc32} from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const VERSION = 20;
const MADE_BY_UNIX = (3 << 8) | VERSION;
const REGULAR_FILE_0644 = 0o100644 * 0x10000; // unix mode in the high 16 bits (a shift would overflow to negative)

/** The fields the local header and the central directory record share, from "version needed" on. */
function commonFields(entry: ZipEntry, name: Buffer): Buffer {
  const fields = Buffer.alloc(26);
  fields.writeUInt16LE(VERSION, 0);
  fields.writeUInt16LE(UTF8_NAMES, 2);
  fields.writeUInt16LE(0, 4); // method: stored
  fields.writeUInt16LE(0, 6); // time 00:00:00
  fields.writeUInt16LE(DOS_DATE_1980_01_01, 8);
  fields.writeUInt32LE(crc32(entry.data), 10);
  fields.writeUInt32LE(entry.data.length, 14);
  fields.writeUInt32LE(entry.data.length, 18);
  fields.writeUInt16LE(name.length, 22);
  fields.writeUInt16LE(0, 24); // extra field length
  return fields;
}

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const fields = commonFields(entry, name);
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), fields, name, entry.data]);
    const tail = Buffer.alloc(14);
    tail.writeUInt16LE(0, 0); // comment length
    tail.writeUInt16LE(0, 2); // disk number
    tail.writeUInt16LE(0, 4); // internal attributes
    tail.writeUInt32LE(REGULAR_FILE_0644, 6);
    tail.writeUInt32LE(offset, 10);
    const madeBy = Buffer.alloc(2);
    madeBy.writeUInt16LE(MADE_BY_UNIX);
    centrals.push(Buffer.concat([Buffer.from([0x50, 0x4b, 0x01, 0x02]), madeBy, fields, tail, name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
