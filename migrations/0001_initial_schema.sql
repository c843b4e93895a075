-- Collections, documents and their chunks, with the vectors in pgvector.
--
-- The vector dimension is a placeholder, ${embedding_dimension}, filled in from the configured
-- embedding model when this file is first applied. A typed column `vector(n)` is what lets the
-- HNSW index serve `ORDER BY embedding <=> @q` directly; an untyped column would force one
-- expression index per dimension and casts in every query. One database therefore holds vectors
-- of one dimension; the migrator refuses to start when the configured model's dimension differs
-- from the column's, and each collection records the model that wrote it.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE collections (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    embedding_model     text        NOT NULL,
    embedding_dimension integer     NOT NULL CHECK (embedding_dimension > 0),
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE documents (
    id            uuid        PRIMARY KEY,
    collection_id bigint      NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    external_id   text,
    name          text        NOT NULL,
    content_type  text        NOT NULL,
    content_hash  bytea       NOT NULL,
    tags          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    chunk_count   integer     NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (collection_id, external_id),
    UNIQUE (collection_id, content_hash)
);
CREATE INDEX documents_tags ON documents USING gin (tags jsonb_path_ops);

CREATE TABLE chunks (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id   uuid    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    collection_id bigint  NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    ordinal       integer NOT NULL,
    text          text    NOT NULL,
    token_count   integer NOT NULL,
    start_offset  integer NOT NULL,
    end_offset    integer NOT NULL,
    page          integer,
    section_path  text[]  NOT NULL DEFAULT '{}',
    metadata      jsonb   NOT NULL DEFAULT '{}'::jsonb,
    -- A copy of the document's tags: a tag filter then stays a filter on the chunks scan, which
    -- is what lets the HNSW index scan (with iterative scan) serve filtered queries.
    tags          jsonb   NOT NULL DEFAULT '{}'::jsonb,
    embedding     vector(${embedding_dimension}) NOT NULL,
    text_search   tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops);
CREATE INDEX chunks_text_search ON chunks USING gin (text_search);
CREATE INDEX chunks_collection ON chunks (collection_id);
CREATE INDEX chunks_tags ON chunks USING gin (tags jsonb_path_ops);
