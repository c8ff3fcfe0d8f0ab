"""Working with others: changes from another process appear without a keypress."""

import subprocess
import sys
import textwrap
import time
from datetime import date

from tui.widgets.day_cell import DayCell

from .conftest import settle

ADD_POST = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    import store
    store.open_database(sys.argv[1])
    maya = store.actor_for("maya")
    brand = store.find_brand(maya, "acme-coffee").id
    store.create_post(maya, brand, "From another terminal", datetime(2026, 11, 23, 10, tzinfo=UTC),
                      publish_at=datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    """
)


async def test_a_post_added_by_another_process_appears_within_two_seconds(make_app, team_db):
    app = make_app(watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right")  # select the 24th; the selection must survive the refresh
        await settle(pilot)
        subprocess.run([sys.executable, "-c", ADD_POST, team_db], check=True)
        written = time.monotonic()
        seen = None
        while time.monotonic() - written < 2.0:
            await pilot.pause(0.05)
            cell = next(
                c for c in app.screen.query(DayCell) if c.day and c.day.day == date(2026, 11, 24)
            )
            if any(p.title == "From another terminal" for p in cell.day.posts):
                seen = time.monotonic() - written
                break
        assert seen is not None, "the new post did not appear within 2 s"
        assert app.screen.selected == date(2026, 11, 24)
