-- Schema 4. A feed of what changed (kind, id, which fields), so each open screen reloads only
-- when something it shows changed; ids only grow (AUTOINCREMENT), so "since id N" is exact
-- after old rows are pruned. And the audit trail refuses UPDATE and DELETE: append-only is kept
-- by the database itself, not only by Postroom's code.
CREATE TABLE "change_log" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "kind" VARCHAR(255) NOT NULL, "entity_id" INTEGER, "fields" VARCHAR(255) NOT NULL);
CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE ON "audit_event" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER "audit_event_no_delete" BEFORE DELETE ON "audit_event" BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
