-- Schema 7 on PostgreSQL: the inbox's counts kept by a trigger, and the default labelling rules.
-- Search there is ILIKE over body and author (no FTS table: PostgreSQL's own full-text search
-- would be the next step when a team's inbox outgrows it).
CREATE OR REPLACE FUNCTION postroom_inbox_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.head_id IS NULL THEN
        UPDATE inbox_tally SET n = n - 1
         WHERE brand_id = OLD.brand_id AND status = OLD.status
           AND assignee_id = coalesce(OLD.assignee_id, 0);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.head_id IS NULL THEN
        INSERT INTO inbox_tally (brand_id, status, assignee_id, n)
            VALUES (NEW.brand_id, NEW.status, coalesce(NEW.assignee_id, 0), 1)
            ON CONFLICT (brand_id, status, assignee_id) DO UPDATE SET n = inbox_tally.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER inbox_tally_change AFTER INSERT OR DELETE OR UPDATE OF status, assignee_id, brand_id, head_id
    ON inbox_message FOR EACH ROW EXECUTE FUNCTION postroom_inbox_tally();
DELETE FROM inbox_tally;
INSERT INTO inbox_tally (brand_id, status, assignee_id, n)
    SELECT brand_id, status, coalesce(assignee_id, 0), count(*) FROM inbox_message
     WHERE head_id IS NULL GROUP BY 1, 2, 3;
INSERT INTO label_rule (brand_id, label, match, words) VALUES
    (NULL, 'question', 'question', ''),
    (NULL, 'order', 'keywords', 'order, delivery, shipping, tracking, parcel, refund, arrived'),
    (NULL, 'complaint', 'keywords', 'broken, disappointed, terrible, worst, complaint, unacceptable, never again, still waiting');
