-- Several replicas (issue 11): the PostgreSQL twin of migrations/0007_replicas.sql, plus the
-- wake-up of idle workers on every replica when work arrives.

CREATE UNIQUE INDEX IF NOT EXISTS jobs_one_running_per_queue ON jobs (queue_key) WHERE status = 'running';

CREATE TABLE IF NOT EXISTS periodic_runs (
    task        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    next_due    BIGINT NOT NULL
);

-- NOTIFY jobs when a job becomes pending (enqueued, retried, reaped, unparked). Notifications
-- are sent at commit, so a woken worker finds the row; polling stays as the fallback.
CREATE OR REPLACE FUNCTION jobs_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('jobs', '');
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS jobs_notify_insert ON jobs;
CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

DROP TRIGGER IF EXISTS jobs_notify_pending ON jobs;
CREATE TRIGGER jobs_notify_pending AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (NEW.status = 'pending' AND OLD.status <> 'pending') EXECUTE FUNCTION jobs_notify();
