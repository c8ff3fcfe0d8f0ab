-- Media became part of a post's content: a revision remembers which assets it had, in order,
-- as a JSON list of asset ids, so a diff can show a changed image and an approval lapses with it.
ALTER TABLE "revision" ADD COLUMN "media" TEXT NOT NULL DEFAULT '[]';
