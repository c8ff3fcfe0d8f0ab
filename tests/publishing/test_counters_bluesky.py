"""Counters back from Bluesky: a fan on the reference PDS likes, reposts, replies to and quotes a
published post; a refresh reads them with app.bsky.feed.getPosts from the loopback AppView (its
answers checked by @atproto/api's own lexicons), 25 URIs a call at most, and keeps a snapshot:
likes, replies as comments, reposts + quotes as shares, no impressions (Bluesky gives none)."""

from __future__ import annotations

import store
from store.db.models import Performance
from store.publishing import connectors

from .appview import POSTS, assert_valid
from .test_inbox_bluesky import appview, connected, fan, post, published, write  # noqa: F401

metrics = store.metrics


def test_likes_reposts_replies_and_quotes_come_back(team, clock, pds, connected, fan, appview):  # noqa: F811
    pid, ref = published(team, clock, pds, connected)
    write(pds, fan, "app.bsky.feed.like", {"subject": ref})
    write(pds, fan, "app.bsky.feed.repost", {"subject": ref})
    post(pds, fan, "Lovely!", reply={"root": ref, "parent": ref})
    post(pds, fan, "Look at this", embed={"$type": "app.bsky.embed.record", "record": ref})
    appview.post_answers.clear()
    report = metrics.refresh(team.actor("root"), clock(), post_id=pid)
    assert report.read == 1 and not report.failed
    (counts,) = metrics.latest_counters(team.actor("root"), pid)
    values = counts.values
    assert (values["likes"], values["comments"], values["shares"]) == (1, 1, 2)
    assert values["impressions"] is None and values["reach"] is None
    assert counts.engagements == 4
    (answer,) = appview.post_answers
    assert_valid(answer, POSTS)
    assert answer["posts"][0]["uri"] == ref["uri"]
    kept = Performance.get(Performance.post_id == pid)
    assert (kept.engagements, kept.rate, kept.impressions) == (4, None, None)
    totals = metrics.channel_totals(team.actor("root"))
    assert totals[f"bluesky {team_handle(team)}"]["likes"] == 1


def team_handle(team) -> str:
    from store.db.models import Channel

    return Channel.get_by_id(team.bluesky).handle


def test_getposts_is_asked_25_uris_at_a_time(team, clock, pds, connected, fan, appview):  # noqa: F811
    _, ref = published(team, clock, pds, connected)
    appview.requests.clear()  # the read made as the post went out
    creds = {"server": pds.url, "handle": connected["handle"],
             "app_password": connected["app_password"], "appview": appview.url}  # fmt: skip
    gone = [f"{ref['uri'][:-13]}{i:013d}" for i in range(30)]  # no record there
    http = connectors.client(10)
    try:
        found = connectors.connector_for("bluesky", http).fetch_statuses(creds, [ref["uri"], *gone])
    finally:
        http.close()
    calls = [r for r in appview.requests if r["path"].endswith(POSTS)]
    assert [len(r["all"]["uris"]) for r in calls] == [25, 6]
    assert list(found) == [ref["uri"]]  # what the AppView does not have is left out
