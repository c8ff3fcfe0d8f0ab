-- Schema 5. Publishing: which server a channel posts to (never its credentials: those stay in the
-- scheduler account's own file), how late a brand lets a post go out, and per delivery the Bluesky
-- record key (fixed when the delivery is made, like the idempotency key) and `due_at`, the one
-- moment a scheduler looks at: the publish time while pending, the next try while retrying, the
-- end of the lease while sending (so a dead scheduler's work is taken over). NULL means not due.
ALTER TABLE "channel" ADD COLUMN "server" VARCHAR(255);
ALTER TABLE "channel" ADD COLUMN "visibility" VARCHAR(255) NOT NULL DEFAULT 'public';
ALTER TABLE "channel" ADD COLUMN "language" VARCHAR(255);
ALTER TABLE "brand" ADD COLUMN "late_window_minutes" INTEGER NOT NULL DEFAULT 120;
ALTER TABLE "variant" ADD COLUMN "record_key" VARCHAR(255);
ALTER TABLE "variant" ADD COLUMN "due_at" TIMESTAMP;
CREATE INDEX "variant_due_at" ON "variant" ("due_at");
-- The claim looks by due_at alone: an index on state would lead the planner through every
-- waiting draft's channels (pending, not due) instead.
DROP INDEX "variant_state_lease_until";
UPDATE "variant" SET "due_at" = (SELECT "publish_at" FROM "post" WHERE "post"."id" = "variant"."post_id")
 WHERE "state" = 'pending'
   AND "post_id" IN (SELECT "id" FROM "post" WHERE "stage" = 'scheduled');
CREATE TABLE "scheduler_beat" ("id" SERIAL PRIMARY KEY, "owner" VARCHAR(255) NOT NULL, "login" VARCHAR(255) NOT NULL, "host" VARCHAR(255) NOT NULL, "pid" INTEGER NOT NULL, "started_at" TIMESTAMP NOT NULL, "beat_at" TIMESTAMP NOT NULL, "stopped_at" TIMESTAMP);
CREATE UNIQUE INDEX "scheduler_beat_owner" ON "scheduler_beat" ("owner");
