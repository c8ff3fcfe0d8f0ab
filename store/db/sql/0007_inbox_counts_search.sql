-- Schema 7. What models cannot say: the inbox's counts per brand, status and assignee, kept by
-- triggers (the header reads a handful of rows, never a COUNT over a million messages); the
-- full-text index of bodies and authors (FTS5, external content, kept by triggers); and the
-- default labelling rules every brand starts with.
CREATE TRIGGER "inbox_tally_insert" AFTER INSERT ON "inbox_message" WHEN NEW."head_id" IS NULL BEGIN
    INSERT INTO "inbox_tally" ("brand_id", "status", "assignee_id", "n")
        VALUES (NEW."brand_id", NEW."status", coalesce(NEW."assignee_id", 0), 1)
        ON CONFLICT ("brand_id", "status", "assignee_id") DO UPDATE SET "n" = "n" + 1;
END;
CREATE TRIGGER "inbox_tally_delete" AFTER DELETE ON "inbox_message" WHEN OLD."head_id" IS NULL BEGIN
    UPDATE "inbox_tally" SET "n" = "n" - 1
     WHERE "brand_id" = OLD."brand_id" AND "status" = OLD."status"
       AND "assignee_id" = coalesce(OLD."assignee_id", 0);
END;
CREATE TRIGGER "inbox_tally_update" AFTER UPDATE OF "status", "assignee_id", "brand_id", "head_id" ON "inbox_message" BEGIN
    UPDATE "inbox_tally" SET "n" = "n" - 1
     WHERE OLD."head_id" IS NULL AND "brand_id" = OLD."brand_id" AND "status" = OLD."status"
       AND "assignee_id" = coalesce(OLD."assignee_id", 0);
    INSERT INTO "inbox_tally" ("brand_id", "status", "assignee_id", "n")
        SELECT NEW."brand_id", NEW."status", coalesce(NEW."assignee_id", 0), 1 WHERE NEW."head_id" IS NULL
        ON CONFLICT ("brand_id", "status", "assignee_id") DO UPDATE SET "n" = "n" + 1;
END;
DELETE FROM "inbox_tally";
INSERT INTO "inbox_tally" ("brand_id", "status", "assignee_id", "n")
    SELECT "brand_id", "status", coalesce("assignee_id", 0), count(*) FROM "inbox_message"
     WHERE "head_id" IS NULL GROUP BY 1, 2, 3;

CREATE VIRTUAL TABLE "inbox_fts" USING fts5("body", "author_handle", content='inbox_message', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER "inbox_fts_insert" AFTER INSERT ON "inbox_message" BEGIN
    INSERT INTO "inbox_fts" ("rowid", "body", "author_handle") VALUES (NEW."id", NEW."body", NEW."author_handle");
END;
CREATE TRIGGER "inbox_fts_delete" AFTER DELETE ON "inbox_message" BEGIN
    INSERT INTO "inbox_fts" ("inbox_fts", "rowid", "body", "author_handle") VALUES ('delete', OLD."id", OLD."body", OLD."author_handle");
END;
CREATE TRIGGER "inbox_fts_update" AFTER UPDATE OF "body", "author_handle" ON "inbox_message" BEGIN
    INSERT INTO "inbox_fts" ("inbox_fts", "rowid", "body", "author_handle") VALUES ('delete', OLD."id", OLD."body", OLD."author_handle");
    INSERT INTO "inbox_fts" ("rowid", "body", "author_handle") VALUES (NEW."id", NEW."body", NEW."author_handle");
END;
INSERT INTO "inbox_fts" ("inbox_fts") VALUES ('rebuild');

INSERT INTO "label_rule" ("brand_id", "label", "match", "words") VALUES
    (NULL, 'question', 'question', ''),
    (NULL, 'order', 'keywords', 'order, delivery, shipping, tracking, parcel, refund, arrived'),
    (NULL, 'complaint', 'keywords', 'broken, disappointed, terrible, worst, complaint, unacceptable, never again, still waiting');
