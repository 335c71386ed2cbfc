/**
 * The run's row and byte budget (`limits.max_rows`, `limits.max_bytes`): every row written
 * costs a compare, and the byte count is read every 4,096 rows. Reaching a cap throws a
 * `run-limit` diagnostic placed at the process that was writing, so the run stops and its
 * partial output is removed.
 */
import { describeLimit, limitReached } from '../../model/limits.js';
import type { RunSafety } from '../../model/safety.js';

export class RowBudget {
  private rows = 0;
  /** The process writing now, named in the message. */
  process = '';

  constructor(
    private readonly safety: RunSafety,
    /** Bytes written so far (flushed and buffered). */
    private readonly bytes: () => number,
  ) {}

  /** One row written. */
  row(): void {
    if (++this.rows > this.safety.limits.maxRows) throw this.stop('maxRows');
    if ((this.rows & 4095) === 0 && this.bytes() > this.safety.limits.maxBytes) throw this.stop('maxBytes');
  }

  /** Rows written elsewhere (a worker thread's chunk), checked at once. */
  add(rows: number): void {
    this.rows += rows;
    if (this.rows > this.safety.limits.maxRows) throw this.stop('maxRows');
    if (this.bytes() > this.safety.limits.maxBytes) throw this.stop('maxBytes');
  }

  private stop(key: 'maxRows' | 'maxBytes') {
    const what = key === 'maxRows' ? 'rows' : 'bytes';
    const by = this.process ? ` while process "${this.process}" was writing` : '';
    return limitReached(this.safety.place(this.process ? ['processes', this.process] : ['limits']), `the run reached ${describeLimit(this.safety.limits, key)} ${what}${by}; it stopped`, key);
  }
}
