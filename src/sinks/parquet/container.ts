/**
 * One Parquet file grown from small ones. A Parquet file is `PAR1`, the column chunks of its
 * row groups, then the footer (FileMetaData, thrift compact), its length and `PAR1`; the
 * footer says where each chunk starts. DuckDB writes each row group of a run as a small file
 * (duckdb-file.ts); here its chunks (with their bloom filters and page indexes, if any) are
 * copied as they are to the end of the growing file, the offsets in its footer moved by
 * where they landed, and its row groups kept. `finish` writes one footer for them all: the
 * first file's, with every row group and the total row count. So the file grows row group by
 * row group and memory holds one small file at a time.
 *
 * Every small file of one container must have the same schema (same column types): `add`
 * returns false, and copies nothing, for one that does not.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { decodeStruct, encodeStruct, field, shift, T, type List, type Struct } from './thrift.js';

const MAGIC = Buffer.from('PAR1');

// Field ids (parquet.thrift).
const FILE = { schema: 2, numRows: 3, rowGroups: 4 };
const ROW_GROUP = { columns: 1, fileOffset: 5, ordinal: 7 };
const CHUNK = { fileOffset: 2, metaData: 3, offsetIndexOffset: 4, columnIndexOffset: 6 };
const META = { dataPageOffset: 9, indexPageOffset: 10, dictionaryPageOffset: 11, bloomFilterOffset: 14 };

/** The footer of a whole Parquet file in memory, and where it starts. */
export function readFooter(file: Uint8Array): { meta: Struct; start: number } {
  const n = file.length;
  if (n < 12 || !MAGIC.equals(file.subarray(0, 4)) || !MAGIC.equals(file.subarray(n - 4))) throw new Error('not a Parquet file');
  const len = Buffer.from(file.buffer, file.byteOffset, n).readUInt32LE(n - 8);
  const start = n - 8 - len;
  return { meta: decodeStruct(file.subarray(start, n - 8)), start };
}

export class ParquetContainer {
  private fd: number | undefined;
  private readonly hash: Hash = createHash('sha256');
  private pos = 0;
  private head: Struct | undefined;
  private schema: Buffer | undefined;
  private readonly groups: Struct[] = [];
  private rows = 0n;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
    this.write(MAGIC);
  }

  get rowGroups(): number {
    return this.groups.length;
  }

  /** Appends the row groups of a whole Parquet file; false (nothing written) if its schema differs. */
  add(file: Uint8Array): boolean {
    const { meta, start } = readFooter(file);
    const schema = Buffer.from(encodeStruct([field(meta, FILE.schema)!]));
    if (this.schema && !this.schema.equals(schema)) return false;
    this.schema ??= schema;
    this.head ??= meta;
    const delta = BigInt(this.pos - 4);
    for (const group of (field(meta, FILE.rowGroups)?.value as List | undefined)?.items ?? []) {
      const g = group as Struct;
      shift(g, ROW_GROUP.fileOffset, delta);
      const ordinal = field(g, ROW_GROUP.ordinal);
      if (ordinal) ordinal.value = BigInt(this.groups.length);
      for (const chunk of (field(g, ROW_GROUP.columns)!.value as List).items) {
        const c = chunk as Struct;
        shift(c, CHUNK.fileOffset, delta);
        shift(c, CHUNK.offsetIndexOffset, delta);
        shift(c, CHUNK.columnIndexOffset, delta);
        const m = field(c, CHUNK.metaData)?.value as Struct | undefined;
        if (m) for (const id of [META.dataPageOffset, META.indexPageOffset, META.dictionaryPageOffset, META.bloomFilterOffset]) shift(m, id, delta);
      }
      this.groups.push(g);
    }
    this.rows += (field(meta, FILE.numRows)?.value as bigint | undefined) ?? 0n;
    this.write(file.subarray(4, start));
    return true;
  }

  /** Writes the footer and closes the file; returns its size and sha256. */
  finish(): { bytes: number; sha256: string } {
    if (!this.head) throw new Error('a Parquet container needs one file before it is finished');
    const meta = this.head.map((f) => {
      if (f.id === FILE.numRows) return { ...f, value: this.rows };
      if (f.id === FILE.rowGroups) return { ...f, value: { elem: T.STRUCT, items: this.groups } };
      return f;
    });
    const footer = encodeStruct(meta);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(footer.length);
    this.write(footer);
    this.write(len);
    this.write(MAGIC);
    closeSync(this.fd!);
    this.fd = undefined;
    return { bytes: this.pos, sha256: this.hash.digest('hex') };
  }

  abandon(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private write(b: Uint8Array): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd!, b, off, b.length - off);
    this.hash.update(b);
    this.pos += b.length;
  }
}
