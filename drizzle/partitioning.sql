-- HASH partitioning of the user-scoped tables by user id.
--
-- Not part of the migrations: partitioning pays off at millions of rows, and
-- repartitioning a large table rewrites it, so operators run this once, in a
-- maintenance window, when they choose to (see drizzle/README.md). Every user-scoped
-- table already carries user_id in its primary key and in each unique key, and has
-- no foreign keys, which is what MariaDB and MySQL require of a partitioned table.
-- The test suite applies this file to a fresh database (tests/integration/partitioning.test.ts).
ALTER TABLE `concerts` PARTITION BY HASH(`user_id`) PARTITIONS 64;
ALTER TABLE `photos` PARTITION BY HASH(`user_id`) PARTITIONS 64;
ALTER TABLE `sources` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `scans` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `duplicate_groups` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `processed_files` PARTITION BY HASH(`user_id`) PARTITIONS 64;
ALTER TABLE `uploads` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `venue_aliases` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `history_exports` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `mail_deliveries` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `festivals` PARTITION BY HASH(`user_id`) PARTITIONS 16;
ALTER TABLE `festival_acts` PARTITION BY HASH(`user_id`) PARTITIONS 16;
