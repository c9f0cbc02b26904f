import type pg from 'pg';
import type { CaptureQuery } from '../capture/capture-database.js';
import { type CapturedRequest, CapturedRequestSchema } from '../capture/captured-request.js';

const PAGE = 2000;

interface Row {
  captured: unknown;
  time: Date;
  id: string;
}

/** One policy's captured requests from every instance, in pages ordered by (time, id) so memory stays bounded. */
export async function* capturedRows(pool: pg.Pool, query: CaptureQuery): AsyncGenerator<CapturedRequest> {
  let after: { time: string; id: string } | null = null;
  for (;;) {
    const { rows }: pg.QueryResult<Row> = await pool.query<Row>(
      `select captured, time, id from tollgate_capture
       where policy = $1 and time >= $2 and time < $3
         and ($4::timestamptz is null or (time, id) > ($4, $5))
       order by time, id limit ${PAGE}`,
      [query.policy, query.from, query.to, after?.time ?? null, after?.id ?? ''],
    );
    for (const row of rows) {
      const parsed = CapturedRequestSchema.safeParse(row.captured);
      if (parsed.success) yield parsed.data;
    }
    if (rows.length < PAGE) return;
    const last: Row = rows[rows.length - 1]!;
    after = { time: last.time.toISOString(), id: last.id };
  }
}
