"""The npm packages some tests run (the reference Bluesky PDS, a headless Chromium), installed
from their lockfiles when they are not yet (.ci/run does it first; on a fresh checkout the first
test run does it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def npm_ci(directory: Path, installed: str, what: str, timeout: float = 900) -> None:
    """`npm ci` in `directory` unless `node_modules/<installed>` is there; a failure fails."""
    if (directory / "node_modules" / installed).is_dir():
        return
    if shutil.which("npm") is None:
        pytest.fail(f"npm (Node 20) is needed to install {what}")
    done = subprocess.run(
        ["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(f"npm ci of {what} failed in {directory}: {done.stderr[-2000:]}")
