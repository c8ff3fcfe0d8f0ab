"""CLI commands that get posts out: channel connect and test, publish --due, scheduler, delivery
list / retry / done, and post send-now."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import timedelta

import store

from . import context
from .args import command, count, group, row_id, seconds
from .context import Context
from .output import fail, local, print_json, print_table, say

STATE_NAMES = "|".join(s.value for s in store.DeliveryState)


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add `publish`, `scheduler` and `delivery …` to the parser."""
    p = command(
        commands,
        common,
        "publish",
        help="one pass: send everything that is due, then exit (for cron)",
        description="Send every delivery that is due now through its channel's connector, then "
        "exit: for cron or a systemd timer. Run it as the account that holds the credentials.",
        handler=cmd_publish,
    )
    p.add_argument("--due", action="store_true", required=True, help="send what is due now")
    _scheduler_options(p)
    p = command(
        commands,
        common,
        "scheduler",
        help="keep sending what comes due until stopped (SIGTERM)",
        description="Send each delivery as it comes due, until SIGTERM or ctrl+c (the call in "
        "flight is finished first). Several on one database are safe.",
        handler=cmd_scheduler,
    )
    _scheduler_options(p)
    p.add_argument(
        "--interval", type=seconds(0.2, 3600), default=5.0, help="seconds between looks (5)"
    )
    sub = group(
        commands,
        common,
        "delivery",
        help="each post on each channel: its state, retries, done by hand",
        description="A delivery is one post on one channel: waiting, sending, sent, retrying, "
        "unconfirmed (check by hand), failed (with the reason) or post by hand.",
        actions="list|retry|done",
    )
    p = command(
        sub,
        common,
        "list",
        help="deliveries of scheduled and sent posts",
        description="Deliveries of posts that are scheduled, published or failed, by id.",
        handler=cmd_list,
    )
    p.add_argument(
        "--state",
        action="append",
        default=[],
        choices=[s.value for s in store.DeliveryState],
        metavar=STATE_NAMES,
    )
    p.add_argument("--brand")
    p.add_argument("--limit", type=count(1, 100_000), default=500)
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "retry",
        help="send a failed or unconfirmed delivery again (same key: no duplicate)",
        description="Send a failed delivery again at the next pass. For an unconfirmed one, "
        "first check the platform: if the post is there, use `delivery done` instead.",
        handler=cmd_retry,
    )
    p.add_argument("id", type=row_id)
    p = command(
        sub,
        common,
        "done",
        help="record a delivery posted by hand, with its link",
        description="Record that a delivery is on the platform (posted by hand, or an "
        "unconfirmed one that did appear), with the post's link.",
        handler=cmd_done,
    )
    p.add_argument("id", type=row_id)
    p.add_argument("--url", required=True, help="the post's link on the platform")


def _scheduler_options(p) -> None:
    p.add_argument(
        "--timeout", type=seconds(0.1, 600), default=30.0, help="seconds to wait for a server (30)"
    )
    p.add_argument(
        "--lease",
        type=count(2, 86_400),
        default=int(store.publishing_lease().total_seconds()),
        help="seconds a claim holds before another scheduler may take it over (300)",
    )


def channel_actions(sub, common) -> None:
    """`channel connect` and `channel test`, in the channel group."""
    p = command(
        sub,
        common,
        "connect",
        help="connect a channel to its platform (credentials stay in your own file)",
        description="Point a channel at Mastodon (--server, --token-stdin), Bluesky (--handle, "
        "--app-password-stdin), a signed webhook (--url, --secret-stdin) or by hand (--manual). "
        "The secret is read from stdin, checked with the server, and kept in the credentials "
        "file of the account running this (run it as the scheduler's account), never in the "
        "database.",
        handler=cmd_connect,
    )
    p.add_argument("channel", help="id, handle or platform")
    p.add_argument("--brand")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--token-stdin", action="store_true", help="Mastodon: an access token")
    how.add_argument(
        "--oauth", action="store_true", help="Mastodon: authorize in a browser, paste the code"
    )
    how.add_argument("--app-password-stdin", action="store_true", help="Bluesky: an app password")
    how.add_argument("--secret-stdin", action="store_true", help="webhook: the signing secret")
    how.add_argument("--manual", action="store_true", help="post by hand at its time")
    p.add_argument("--server", help="Mastodon or Bluesky server (https://…)")
    p.add_argument("--handle", help="Bluesky handle")
    p.add_argument(
        "--appview",
        help="Bluesky: a self-hosted AppView the inbox reads notifications from (else the PDS "
        "passes them to Bluesky's)",
    )
    p.add_argument("--url", help="webhook URL")
    p.add_argument("--visibility", choices=["public", "unlisted", "private", "direct"])
    p.add_argument("--language", help="the posts' language (en, de, …)")
    p.add_argument("--timeout", type=seconds(0.1, 600), default=15.0)
    p = command(
        sub,
        common,
        "test",
        help="check a channel's credentials with its server",
        description="Check the channel's credentials (from your credentials file) against its "
        "server, and say as whom they act.",
        handler=cmd_test,
    )
    p.add_argument("channel", help="id, handle or platform")
    p.add_argument("--brand")
    p.add_argument("--timeout", type=seconds(0.1, 600), default=15.0)
    p = command(
        sub,
        common,
        "inbox-every",
        help="show or change how often the scheduler pulls a channel's inbox",
        description="How many minutes the scheduler waits between two pulls of a connected "
        "channel's comments, mentions and DMs (default 5). Without a value, shows it.",
        handler=cmd_inbox_every,
    )
    p.add_argument("channel", help="id, handle or platform")
    p.add_argument("minutes", nargs="?", type=count(1, 24 * 60))
    p.add_argument("--brand")


def counters_every(sub, common) -> None:
    p = command(
        sub,
        common,
        "counters-every",
        help="show or change how long a channel's sent posts' counters are read back",
        description="The scheduler reads the likes, replies and shares of a channel's sent "
        "posts hourly for the first --hourly-for days (default 2), then daily until "
        "--daily-until days after sending (default 30), then never; 0 and 0 reads none (a "
        "platform with a tight rate limit). Without options, shows it.",
        handler=cmd_counters_every,
    )
    p.add_argument("channel", help="id, handle or platform")
    p.add_argument("--hourly-for", type=count(0, 366), metavar="DAYS")
    p.add_argument("--daily-until", type=count(0, 366), metavar="DAYS")
    p.add_argument("--brand")


def cmd_counters_every(args, ctx: Context) -> int:
    ctx.open()
    channel = _find_channel(args, ctx)
    hourly, daily = store.metrics.counter_schedule(channel.id)
    if args.hourly_for is not None or args.daily_until is not None:
        hourly, daily = store.metrics.set_counter_schedule(
            ctx.actor,
            channel.id,
            hourly if args.hourly_for is None else args.hourly_for,
            daily if args.daily_until is None else args.daily_until,
            ctx.now,
        )
    name = f"{channel.platform.value} {channel.handle}"
    if not hourly and not daily:
        say(f"{name}: counters are not read back")
    else:
        parts = [f"hourly for {hourly} days"] if hourly else []
        if daily > hourly:
            parts.append(f"daily until day {daily}")
        say(f"{name}: counters are read {', then '.join(parts)}, then no more")
    return 0


def cmd_inbox_every(args, ctx: Context) -> int:
    ctx.open()
    channel = _find_channel(args, ctx)
    if args.minutes is None:
        minutes = store.inbox.pull_interval(channel.id)
    else:
        minutes = store.inbox.set_pull_interval(ctx.actor, channel.id, args.minutes, ctx.now)
    say(f"{channel.platform.value} {channel.handle}: the inbox is pulled every {minutes} minutes")
    return 0


def post_actions(sub, common) -> None:
    """`post send-now`, in the post group."""
    p = command(
        sub,
        common,
        "send-now",
        help="send an approved post at the next scheduler pass",
        description="Schedule an approved (or failed) post for now: the next scheduler pass "
        "sends it.",
        handler=cmd_send_now,
    )
    p.add_argument("id", type=row_id)


def _secret() -> str:
    text = sys.stdin.readline().strip()
    if not text:
        raise store.ValidationError(
            "stdin", "nothing on stdin: pipe the secret in (… | postroom channel connect …)"
        )
    return text


def _find_channel(args, ctx: Context) -> store.ChannelInfo:
    key = args.channel.strip().removeprefix("#")
    if key.isdigit() and not args.brand:
        for channel in store.list_channels(ctx.actor):
            if channel.id == int(key):
                return channel
        raise store.NotFound(f"no channel #{key}")
    return store.find_channel(ctx.actor, ctx.brand_id(args.brand), args.channel)


def cmd_connect(args, ctx: Context) -> int:
    ctx.open()
    channel = _find_channel(args, ctx)
    if args.manual:
        connector, entry = "manual", {}
    elif args.token_stdin or args.oauth:
        if not args.server:
            raise store.ValidationError(
                "server", "say which Mastodon server with --server https://…"
            )
        if args.oauth:
            url, finish = store.mastodon_authorize(args.server, timeout=args.timeout)
            say(f"Open {url} , authorize Postroom, then paste the code here:")
            token = finish(_secret())
        else:
            token = _secret()
        connector, entry = "mastodon", {"server": args.server, "token": token}
    elif args.app_password_stdin:
        if not args.handle:
            raise store.ValidationError("handle", "say the Bluesky handle with --handle")
        connector = "bluesky"
        entry = {
            "server": args.server or "https://bsky.social",
            "handle": args.handle,
            "app_password": _secret(),
            "appview": args.appview,
        }
    else:
        if not args.url:
            raise store.ValidationError("url", "say where the webhook goes with --url https://…")
        connector, entry = "webhook", {"url": args.url, "secret": _secret()}
    for field in ("server", "url"):
        if field in entry:
            entry[field] = store.checked_url(entry[field], field)
    who = store.connect_channel(
        ctx.actor,
        channel.id,
        connector,
        entry,
        ctx.now,
        visibility=args.visibility,
        language=args.language,
        timeout=args.timeout,
    )
    where = "" if connector == "manual" else f"; credentials in {store.credentials_location()}"
    say(f"{channel.platform.value} {channel.handle} posts through {connector} as {who}{where}")
    return 0


def cmd_test(args, ctx: Context) -> int:
    ctx.open()
    channel = _find_channel(args, ctx)
    say(store.check_connection(ctx.actor, channel.id, timeout=args.timeout))
    return 0


def cmd_publish(args, ctx: Context) -> int:
    ctx.open()
    store.check_credentials_file()
    report = store.publish_due(
        ctx.actor, clock=context.clock, lease=timedelta(seconds=args.lease), timeout=args.timeout
    )
    say(f"{report.words()} ({report.seconds * 1000:.0f} ms)")
    replies = report.reply_words()
    if replies:
        say(replies)
    if report.inbox is not None and report.inbox.channels:
        failed = report.inbox.failed
        say(
            f"inbox: {report.inbox.added} new messages"
            + (f"; could not pull {'; '.join(failed)}" if failed else "")
        )
    counted = report.counters
    if counted is not None and (counted.read or counted.failed):
        say(
            f"counters: {counted.read} posts read"
            + (f"; could not read {'; '.join(counted.failed)}" if counted.failed else "")
        )
    if report.trouble:
        first = report.trouble[0]
        more = (
            f" (and {len(report.trouble) - 1} more: `postroom delivery list`)"
            if len(report.trouble) > 1
            else ""
        )
        return fail(
            f"delivery #{first.id} {first.platform.value} {first.handle} {first.words}{more}"
        )
    return 0


def cmd_scheduler(args, ctx: Context) -> int:
    ctx.open()
    store.check_credentials_file()
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    say(f"scheduler running as {ctx.login}; SIGTERM or ctrl+c stops it")

    def on_pass(report) -> None:
        if report.handled:
            say(f"{local(context.clock(), ctx.timezone)}  {report.words()}")

    store.run_scheduler(
        ctx.actor,
        stop=lambda: bool(stopping),
        interval=args.interval,
        on_pass=on_pass,
        clock=context.clock,
        lease=timedelta(seconds=args.lease),
        timeout=args.timeout,
    )
    say("scheduler stopped")
    return 0


def cmd_list(args, ctx: Context) -> int:
    ctx.open()
    brand_id = ctx.brand_id(args.brand) if args.brand else None
    rows = store.list_deliveries(
        ctx.actor,
        states=[store.DeliveryState(s) for s in args.state] or None,
        brand_id=brand_id,
        limit=args.limit,
    )
    if args.json:
        print_json(rows)
        return 0
    tz = ctx.timezone
    print_table(
        ["ID", "POST", "CHANNEL", "STATE", "TRIES", "PUBLISH", "LINK / REASON"],
        [
            [
                str(d.id),
                f"#{d.post_id} {d.post_title}"[:40],
                f"{d.platform.value} {d.handle}"[:30],
                d.state.label,
                str(d.attempts),
                local(d.publish_at, tz),
                d.remote_url or d.words
                if d.state is not store.DeliveryState.SENT
                else d.remote_url or "",
            ]
            for d in rows
        ],
    )
    return 0


def cmd_retry(args, ctx: Context) -> int:
    ctx.open()
    d = store.delivery_retry(ctx.actor, args.id, ctx.now)
    say(f"delivery #{d.id} ({d.platform.value} {d.handle}) goes again at the next pass, same key")
    return 0


def cmd_done(args, ctx: Context) -> int:
    ctx.open()
    d = store.delivery_done(ctx.actor, args.id, args.url, ctx.now)
    say(f"delivery #{d.id} ({d.platform.value} {d.handle}) is sent: {d.remote_url}")
    return 0


def cmd_send_now(args, ctx: Context) -> int:
    ctx.open()
    store.send_now(ctx.actor, args.id, ctx.now)
    say(f"#{args.id} goes out at the next scheduler pass")
    return 0
