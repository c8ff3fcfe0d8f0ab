-- Schema 6. The inbox: statuses new → pending → closed (open/assigned before), threads (a later
-- message from the same person folds into its thread's head), the SLA's due time, labels, notes,
-- rules kept as data, presence ("… is replying"), per-channel sync cursors, and replies that go
-- out through an outbox with the deliveries' exactly-once states and keys.
ALTER TABLE "brand" ADD COLUMN "sla_hours" INTEGER NOT NULL DEFAULT 4;
ALTER TABLE "brand" ADD COLUMN "timezone" VARCHAR(255) NOT NULL DEFAULT 'UTC';
ALTER TABLE "channel" ADD COLUMN "inbox_every_minutes" INTEGER NOT NULL DEFAULT 5;
ALTER TABLE "channel" ADD COLUMN "inbox_cursor" TEXT;
ALTER TABLE "channel" ADD COLUMN "inbox_synced_at" TIMESTAMP;
CREATE INDEX "variant_channel_id_remote_id" ON "variant" ("channel_id", "remote_id");

ALTER TABLE "inbox_message" ADD COLUMN "head_id" INTEGER REFERENCES "inbox_message" ("id") ON DELETE CASCADE;
ALTER TABLE "inbox_message" ADD COLUMN "thread_key" VARCHAR(255);
ALTER TABLE "inbox_message" ADD COLUMN "in_reply_to" VARCHAR(255);
ALTER TABLE "inbox_message" ADD COLUMN "remote_url" VARCHAR(255);
ALTER TABLE "inbox_message" ADD COLUMN "author_name" VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE "inbox_message" ADD COLUMN "last_at" TIMESTAMP;
ALTER TABLE "inbox_message" ADD COLUMN "sla_due_at" TIMESTAMP;
ALTER TABLE "inbox_message" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "inbox_message" ADD COLUMN "labels" VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE "inbox_message" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
UPDATE "inbox_message" SET "last_at" = "received_at",
    "status" = CASE WHEN "status" = 'closed' THEN 'closed'
                    WHEN "id" IN (SELECT "message_id" FROM "reply") THEN 'pending'
                    ELSE 'new' END;
DROP INDEX "inbox_message_status_received_at_id";
DROP INDEX "inbox_message_brand_id_status_received_at";
DROP INDEX "inbox_message_assignee_id_status";
CREATE INDEX "inbox_message_head_id" ON "inbox_message" ("head_id") WHERE "head_id" IS NOT NULL;
CREATE UNIQUE INDEX "inbox_message_channel_id_remote_id" ON "inbox_message" ("channel_id", "remote_id");
CREATE INDEX "inbox_message_status_last_at_id" ON "inbox_message" ("status", "last_at", "id");
CREATE INDEX "inbox_message_brand_id_status_last_at_id" ON "inbox_message" ("brand_id", "status", "last_at", "id");
CREATE INDEX "inbox_message_assignee_id_status_last_at_id" ON "inbox_message" ("assignee_id", "status", "last_at", "id");
CREATE INDEX "inbox_message_last_at_id" ON "inbox_message" ("last_at", "id");
CREATE INDEX "inbox_message_status_sla_due_at" ON "inbox_message" ("status", "sla_due_at");
CREATE INDEX "inbox_message_channel_id_thread_key_author_handle" ON "inbox_message" ("channel_id", "thread_key", "author_handle");
CREATE INDEX "inbox_message_brand_id_author_handle_received_at" ON "inbox_message" ("brand_id", "author_handle", "received_at");

CREATE TABLE "inbox_label" ("id" SERIAL PRIMARY KEY, "message_id" INTEGER NOT NULL, "label" VARCHAR(255) NOT NULL, "automatic" INTEGER NOT NULL, FOREIGN KEY ("message_id") REFERENCES "inbox_message" ("id") ON DELETE CASCADE);
CREATE INDEX "inbox_label_message_id" ON "inbox_label" ("message_id");
CREATE UNIQUE INDEX "inbox_label_message_id_label" ON "inbox_label" ("message_id", "label");
CREATE INDEX "inbox_label_label_message_id" ON "inbox_label" ("label", "message_id");
CREATE TABLE "inbox_note" ("id" SERIAL PRIMARY KEY, "message_id" INTEGER NOT NULL, "author_id" INTEGER NOT NULL, "body" TEXT NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("message_id") REFERENCES "inbox_message" ("id") ON DELETE CASCADE, FOREIGN KEY ("author_id") REFERENCES "user" ("id"));
CREATE INDEX "inbox_note_message_id" ON "inbox_note" ("message_id");
CREATE INDEX "inbox_note_author_id" ON "inbox_note" ("author_id");
CREATE INDEX "inbox_note_message_id_created_at" ON "inbox_note" ("message_id", "created_at");
CREATE TABLE "label_rule" ("id" SERIAL PRIMARY KEY, "brand_id" INTEGER, "label" VARCHAR(255) NOT NULL, "match" VARCHAR(255) NOT NULL, "words" VARCHAR(255) NOT NULL, FOREIGN KEY ("brand_id") REFERENCES "brand" ("id") ON DELETE CASCADE);
CREATE INDEX "label_rule_brand_id" ON "label_rule" ("brand_id");
CREATE TABLE "presence" ("id" SERIAL PRIMARY KEY, "message_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, "opened_at" TIMESTAMP NOT NULL, "beat_at" TIMESTAMP NOT NULL, FOREIGN KEY ("message_id") REFERENCES "inbox_message" ("id") ON DELETE CASCADE, FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE);
CREATE INDEX "presence_message_id" ON "presence" ("message_id");
CREATE INDEX "presence_user_id" ON "presence" ("user_id");
CREATE UNIQUE INDEX "presence_message_id_user_id" ON "presence" ("message_id", "user_id");
CREATE TABLE "inbox_tally" ("brand_id" INTEGER NOT NULL, "status" VARCHAR(255) NOT NULL, "assignee_id" INTEGER NOT NULL, "n" INTEGER NOT NULL, PRIMARY KEY ("brand_id", "status", "assignee_id"));

-- Replies: the old table held only sent answers; the outbox needs the delivery's columns.
ALTER TABLE "reply" ADD COLUMN "created_at" TIMESTAMP;
UPDATE "reply" SET "created_at" = "sent_at";
ALTER TABLE "reply" ALTER COLUMN "created_at" SET NOT NULL;
ALTER TABLE "reply" ALTER COLUMN "sent_at" DROP NOT NULL;
ALTER TABLE "reply" ADD COLUMN "private" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "reply" ADD COLUMN "idempotency_key" VARCHAR(255);
UPDATE "reply" SET "idempotency_key" = md5(random()::text || clock_timestamp()::text || "id"::text);
ALTER TABLE "reply" ALTER COLUMN "idempotency_key" SET NOT NULL;
ALTER TABLE "reply" ADD COLUMN "record_key" VARCHAR(255);
ALTER TABLE "reply" ADD COLUMN "remote_id" VARCHAR(255);
ALTER TABLE "reply" ADD COLUMN "remote_url" VARCHAR(255);
ALTER TABLE "reply" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "reply" ADD COLUMN "due_at" TIMESTAMP;
ALTER TABLE "reply" ADD COLUMN "lease_owner" VARCHAR(255);
ALTER TABLE "reply" ADD COLUMN "lease_until" TIMESTAMP;
ALTER TABLE "reply" ADD COLUMN "last_error" TEXT;
DROP INDEX "reply_message_id_sent_at";
CREATE UNIQUE INDEX "reply_idempotency_key" ON "reply" ("idempotency_key");
CREATE INDEX "reply_due_at" ON "reply" ("due_at");
CREATE INDEX "reply_message_id_created_at" ON "reply" ("message_id", "created_at");
CREATE INDEX "reply_remote_id" ON "reply" ("remote_id");
