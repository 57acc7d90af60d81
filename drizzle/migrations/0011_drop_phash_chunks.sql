-- One statement, so a large photos table is rebuilt once, not four times. Nothing read these chunks: the dedup stage
-- splits perceptual_hash in memory (server/services/duplicate-index.ts).
ALTER TABLE `photos` DROP COLUMN `phash_0`, DROP COLUMN `phash_1`, DROP COLUMN `phash_2`, DROP COLUMN `phash_3`;
