/**
 * Thrift compact protocol, generic: a struct is read into a tree that keeps every field, its
 * type and its value (integers as bigint), and written back byte for byte the same unless a
 * value was changed. The Parquet footer (FileMetaData) is such a struct; container.ts reads
 * the footers DuckDB writes, moves their offsets and joins their row groups.
 * https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

export const T = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const;

export type Value = bigint | boolean | Uint8Array | List | ThriftMap | Struct;
export interface Field {
  id: number;
  type: number;
  value: Value;
}
export type Struct = Field[];
export interface List {
  elem: number;
  items: Value[];
}
export interface ThriftMap {
  key: number;
  val: number;
  entries: [Value, Value][];
}

export function decodeStruct(buf: Uint8Array): Struct {
  const r = new Reader(buf);
  return r.struct();
}

export function encodeStruct(s: Struct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.bytes();
}

/** The field `id` of a struct, or undefined. */
export function field(s: Struct, id: number): Field | undefined {
  for (const f of s) if (f.id === id) return f;
  return undefined;
}

/** Adds `delta` to the integer field `id`, when present. */
export function shift(s: Struct, id: number, delta: bigint): void {
  const f = field(s, id);
  if (f) f.value = (f.value as bigint) + delta;
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  struct(): Struct {
    const out: Struct = [];
    let last = 0;
    for (;;) {
      const b = this.byte();
      if (b === 0) return out;
      const type = b & 0x0f;
      const delta = b >> 4;
      const id = delta ? last + delta : Number(this.zigzag());
      last = id;
      const value = type === T.TRUE ? true : type === T.FALSE ? false : this.value(type);
      out.push({ id, type, value });
    }
  }

  value(type: number): Value {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        // A boolean inside a list or map is one byte.
        return this.byte() === T.TRUE;
      case T.BYTE:
        return BigInt((this.byte() << 24) >> 24);
      case T.I16:
      case T.I32:
      case T.I64:
        return this.zigzag();
      case T.DOUBLE:
        return this.take(8);
      case T.BINARY:
        return this.take(Number(this.varint()));
      case T.LIST:
      case T.SET: {
        const h = this.byte();
        const elem = h & 0x0f;
        const n = h >> 4 === 15 ? Number(this.varint()) : h >> 4;
        const items: Value[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(elem));
        return { elem, items };
      }
      case T.MAP: {
        const n = Number(this.varint());
        if (n === 0) return { key: 0, val: 0, entries: [] };
        const kv = this.byte();
        const entries: [Value, Value][] = [];
        for (let i = 0; i < n; i++) entries.push([this.value(kv >> 4), this.value(kv & 0x0f)]);
        return { key: kv >> 4, val: kv & 0x0f, entries };
      }
      case T.STRUCT:
        return this.struct();
      default:
        throw new Error(`thrift: unknown type ${type} at byte ${this.pos}`);
    }
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new Error('thrift: unexpected end of data');
    return this.buf[this.pos++];
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new Error('thrift: unexpected end of data');
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  varint(): bigint {
    let result = 0n;
    let shiftBy = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shiftBy;
      if ((b & 0x80) === 0) return result;
      shiftBy += 7n;
    }
  }

  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }
}

class Writer {
  private buf = new Uint8Array(1024);
  private pos = 0;

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  struct(s: Struct): void {
    let last = 0;
    for (const f of s) {
      const type = f.type === T.TRUE || f.type === T.FALSE ? (f.value ? T.TRUE : T.FALSE) : f.type;
      const delta = f.id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag(BigInt(f.id));
      }
      last = f.id;
      if (type !== T.TRUE && type !== T.FALSE) this.value(type, f.value);
    }
    this.byte(0);
  }

  value(type: number, v: Value): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        this.byte(v ? T.TRUE : T.FALSE);
        return;
      case T.BYTE:
        this.byte(Number(v as bigint) & 0xff);
        return;
      case T.I16:
      case T.I32:
      case T.I64:
        this.zigzag(v as bigint);
        return;
      case T.DOUBLE:
        this.raw(v as Uint8Array);
        return;
      case T.BINARY:
        this.varint(BigInt((v as Uint8Array).length));
        this.raw(v as Uint8Array);
        return;
      case T.LIST:
      case T.SET: {
        const l = v as List;
        if (l.items.length < 15) this.byte((l.items.length << 4) | l.elem);
        else {
          this.byte(0xf0 | l.elem);
          this.varint(BigInt(l.items.length));
        }
        for (const item of l.items) this.value(l.elem, item);
        return;
      }
      case T.MAP: {
        const m = v as ThriftMap;
        this.varint(BigInt(m.entries.length));
        if (m.entries.length === 0) return;
        this.byte((m.key << 4) | m.val);
        for (const [k, x] of m.entries) {
          this.value(m.key, k);
          this.value(m.val, x);
        }
        return;
      }
      case T.STRUCT:
        this.struct(v as Struct);
        return;
      default:
        throw new Error(`thrift: unknown type ${type}`);
    }
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  varint(n: bigint): void {
    do {
      const low = Number(n & 0x7fn);
      n >>= 7n;
      this.byte(n ? low | 0x80 : low);
    } while (n);
  }

  zigzag(n: bigint): void {
    this.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
  }
}
