-- Schema 8: the overdue section of a filtered inbox (mine, unassigned, a brand, a channel) read
-- in due order from an index, not by scanning every overdue message (measured on the large
-- demo: "mine" 141 ms before).
CREATE INDEX "inbox_message_assignee_id_status_sla_due_at_id" ON "inbox_message" ("assignee_id", "status", "sla_due_at", "id");
CREATE INDEX "inbox_message_brand_id_status_sla_due_at_id" ON "inbox_message" ("brand_id", "status", "sla_due_at", "id");
CREATE INDEX "inbox_message_channel_id_status_sla_due_at_id" ON "inbox_message" ("channel_id", "status", "sla_due_at", "id");
