-- Schema 12: how long the scheduler reads a channel's sent posts' counters back: hourly for the
-- first `counters_hourly_days`, daily until `counters_daily_days`, then never (0 and 0: never).
ALTER TABLE "channel" ADD COLUMN "counters_hourly_days" INTEGER NOT NULL DEFAULT 2;
ALTER TABLE "channel" ADD COLUMN "counters_daily_days" INTEGER NOT NULL DEFAULT 30;
