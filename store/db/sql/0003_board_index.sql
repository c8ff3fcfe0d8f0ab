-- The board counts and pages each stage's column by publish time (published: the last 14 days),
-- for all brands or for one.
CREATE INDEX IF NOT EXISTS "post_stage_publish_at" ON "post" ("stage", "publish_at");
CREATE INDEX IF NOT EXISTS "post_brand_id_stage_publish_at" ON "post" ("brand_id", "stage", "publish_at");
