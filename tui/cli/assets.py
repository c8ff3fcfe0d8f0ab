"""`postroom asset`: the media library a brand's posts draw on."""

from __future__ import annotations

import argparse

import store

from .args import command, group
from .context import Context
from .output import print_json, print_table, say


def register(commands, common: argparse.ArgumentParser) -> None:
    """Add `asset add` and `asset list` to the parser."""
    sub = group(
        commands,
        common,
        "asset",
        help="the media library of a brand",
        description="A brand's media library: files on this machine (full paths, since others "
        "open the database too) and https links, with alt text, for posts to use.",
        actions="add|list",
    )
    p = command(
        sub,
        common,
        "add",
        help="add a file (full path) or an https link",
        description="Add a file or link to the library; the extension says image or video.",
        handler=cmd_add,
    )
    p.add_argument("uri", help="/srv/shoot/cup.jpg or https://cdn.example.com/cup.jpg")
    p.add_argument("--brand")
    p.add_argument("--alt", default="", help="alt text: what the image shows")
    p.add_argument("--tag", action="append", default=[], help="repeat for several")
    p.add_argument(
        "--kind", choices=[k.value for k in store.MediaKind], help="if the name can't tell"
    )
    p.add_argument("--json", action="store_true")
    p = command(
        sub,
        common,
        "list",
        help="a brand's media, newest first",
        description="The brand's library, newest first, or what matches --search.",
        handler=cmd_list,
    )
    p.add_argument("--brand")
    p.add_argument("--search", default="", help="part of the name, alt text or a tag")
    p.add_argument("--json", action="store_true")


def cmd_add(args, ctx: Context) -> int:
    ctx.open()
    asset = store.add_asset(
        ctx.actor,
        ctx.brand_id(args.brand),
        args.uri,
        ctx.now,
        alt_text=args.alt,
        tags=args.tag,
        kind=args.kind,
    )
    if args.json:
        print_json(asset)
    else:
        say(f"added #{asset.id} {asset.name} ({asset.kind.value})")
    return 0


def cmd_list(args, ctx: Context) -> int:
    ctx.open()
    assets = store.list_assets(ctx.actor, ctx.brand_id(args.brand), args.search)
    if args.json:
        print_json(assets)
        return 0
    print_table(
        ["ID", "KIND", "NAME", "ALT TEXT", "LOCATION"],
        [[str(a.id), a.kind.value, a.name, a.alt_text or "(none)", a.uri] for a in assets],
    )
    return 0
