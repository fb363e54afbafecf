-- The S3 store's multipart uploads (store.driver = s3): a tus upload is
-- one multipart upload, so any node can continue it. Part n covers bytes
-- [(n-1)*part_size, n*part_size) of the object; a shorter rest lives in a
-- small staging object until the next PATCH completes the part. The rows
-- go when the object is completed or deleted. Unused with the fs store.
CREATE TABLE s3_uploads (
    object_key TEXT PRIMARY KEY,
    upload_id TEXT NOT NULL,
    part_size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE s3_parts (
    object_key TEXT NOT NULL,
    part_no BIGINT NOT NULL,
    etag TEXT NOT NULL,
    PRIMARY KEY (object_key, part_no)
);
