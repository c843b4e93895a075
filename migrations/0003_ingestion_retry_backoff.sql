-- Retries with exponential backoff: a job that failed transiently goes back to pending with the
-- time its next attempt may start, so a database hiccup or an overloaded embedder is not hammered
-- with every remaining attempt within a second. NULL means "claimable now": new jobs, jobs handed
-- back at shutdown, and every job that is not waiting for a retry.
--
-- ingestion_jobs_open stays as it is: the claim walks the open jobs oldest first and checks this
-- column on the row it has to lock anyway; only jobs waiting for a retry are passed over, and
-- they are few unless everything is failing, when a slower claim is the least of the problems.

ALTER TABLE ingestion_jobs ADD COLUMN next_attempt_at timestamptz;
