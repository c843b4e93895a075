-- Durable ingestion jobs: any number of service instances share this queue. A worker claims a
-- row with FOR UPDATE SKIP LOCKED and holds a lease; a row whose lease expired (its worker died)
-- is claimable again. The upload itself is kept here so a job survives a restart.

CREATE TABLE ingestion_jobs (
    id            uuid        PRIMARY KEY,
    collection    text        NOT NULL,
    file_name     text        NOT NULL,
    content_type  text,
    external_id   text,
    tags          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    content       bytea       NOT NULL,
    status        text        NOT NULL DEFAULT 'pending'
                              CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    attempts      integer     NOT NULL DEFAULT 0,
    claimed_by    text,
    lease_until   timestamptz,
    error         text,
    document_id   uuid,
    timings       jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Only unfinished jobs are ever scanned for work.
CREATE INDEX ingestion_jobs_open ON ingestion_jobs (created_at) WHERE status IN ('pending', 'processing');
