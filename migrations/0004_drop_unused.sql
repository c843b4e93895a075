-- Schema nothing reads or writes. documents_tags: tag filters run on chunks.tags (a copy of the
-- document's tags) so the HNSW scan can apply them, and this index was only ever updated, on every
-- insert. chunks.metadata and ingestion_jobs.content_type were never filled.

DROP INDEX documents_tags;
ALTER TABLE chunks DROP COLUMN metadata;
ALTER TABLE ingestion_jobs DROP COLUMN content_type;
