import type pg from 'pg';

/** Schema changes in order; each runs once per database, recorded in tollgate_migrations. Append only: never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `create table tollgate_ledger (
     id text primary key,
     time timestamptz not null,
     instance text not null,
     record jsonb not null
   );
   create index tollgate_ledger_time on tollgate_ledger (time, id);`,
  // The shipping transaction of each row: rows of finished transactions can be read once each, in windows of xids, for the shared rollups.
  `alter table tollgate_ledger add column tx xid8 not null default pg_current_xact_id();
   create index tollgate_ledger_tx on tollgate_ledger (tx);`,
  // Captured requests of every instance, redacted, for backtests; the id is the ledger record's.
  `create table tollgate_capture (
     id text primary key,
     policy text not null,
     time timestamptz not null,
     instance text not null,
     captured jsonb not null
   );
   create index tollgate_capture_policy_time on tollgate_capture (policy, time, id);`,
  // Feedback of every instance (the latest per request counts); the id is a hash of the booked line, so a line shipped twice is one row.
  `create table tollgate_feedback (
     id text primary key,
     request_id text not null,
     time timestamptz not null,
     instance text not null,
     record jsonb not null,
     tx xid8 not null default pg_current_xact_id()
   );
   create index tollgate_feedback_request on tollgate_feedback (request_id, time);
   create index tollgate_feedback_tx on tollgate_feedback (tx);`,
];

/** An arbitrary constant: the advisory lock that keeps instances starting together from migrating twice. */
const MIGRATION_LOCK = 7_311_872_104;

/** Brings the database to the latest schema; safe when several instances start at once. */
export async function migrate(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('create table if not exists tollgate_migrations (version int primary key, applied_at timestamptz not null default now())');
    const { rows } = await client.query<{ version: number }>('select coalesce(max(version), 0)::int as version from tollgate_migrations');
    const current = rows[0]?.version ?? 0;
    for (let v = current; v < MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query('insert into tollgate_migrations (version) values ($1)', [v + 1]);
    }
    await client.query('commit');
    return MIGRATIONS.length;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
