-- Schema 9: the workflow figures read a period's stage events and sent deliveries from indexes
-- and inbox messages from indexes (measured on the large demo: 7 days of figures 566 ms before,
-- most of it scanning those tables).
CREATE INDEX "stage_event_at_post_id" ON "stage_event" ("at", "post_id");
CREATE INDEX "variant_sent_at_channel_id" ON "variant" ("sent_at", "channel_id");
CREATE INDEX "variant_channel_id_sent_at" ON "variant" ("channel_id", "sent_at");
CREATE INDEX "inbox_message_received_at_brand_id" ON "inbox_message" ("received_at", "brand_id");
