-- Schema 4 on PostgreSQL: the change feed (made from the models on a new database) and the
-- append-only audit trail, which refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE IF NOT EXISTS "change_log" ("id" SERIAL NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "entity_id" INTEGER, "fields" VARCHAR(255) NOT NULL);
CREATE OR REPLACE FUNCTION postroom_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION postroom_audit_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION postroom_audit_append_only();
