-- Several replicas (issue 11). The same tables exist in SQLite so one store serves both engines.

-- At most one running job per space, whatever the claim statement does: a second claim in the
-- same space fails instead of running two of its jobs side by side.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_running_per_queue ON jobs (queue_key) WHERE status = 'running';

-- Periodic work done once per period by one replica (webhook sync, retention pruning): a replica
-- takes a period by moving next_due forward in one statement; the others see it taken.
CREATE TABLE IF NOT EXISTS periodic_runs (
    task        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    next_due    INTEGER NOT NULL
);
