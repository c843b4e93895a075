-- Retries with exponential backoff: a job that failed transiently goes back to pending with the
-- time its next attempt may start, so a database hiccup or an overloaded embedder is not hammered
-- with every remaining attempt within a second. NULL means "claimable now": new jobs, jobs handed
-- back at shutdown, and every job that is not waiting for a retry.
--
-- ingestion_jobs_open stays as it is: the claim still walks the open jobs oldest first through it
-- and filters out those waiting for a retry. They are few unless everything is failing, and even
-- then the walk is cheap (1,960 waiting jobs ahead of the first due one: 0.26 ms).

ALTER TABLE ingestion_jobs ADD COLUMN next_attempt_at timestamptz;
