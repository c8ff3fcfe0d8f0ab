-- Schema 10: video views, as platform analytics exports give them (postroom metrics import).
ALTER TABLE "metric_snapshot" ADD COLUMN "video_views" INTEGER NOT NULL DEFAULT 0;
