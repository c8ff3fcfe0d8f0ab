"""Platform credentials, kept out of the shared database: in the credentials file of the Unix
account that runs the scheduler ($POSTROOM_CREDENTIALS, else credentials.toml in its config dir),
made with mode 0600 and refused, as ssh refuses a key, when group or others may read it."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import tomli_w

from ..errors import PostroomError

#: What each connector keeps (besides `connector` itself).
FIELDS = {
    "mastodon": ("server", "token"),
    "bluesky": ("server", "handle", "app_password"),
    "webhook": ("url", "secret"),
}


class CredentialsRefused(PostroomError):
    """The credentials file is unsafe or unreadable, or holds nothing for a channel."""


def location() -> Path:
    """Where this account's credentials live."""
    chosen = os.environ.get("POSTROOM_CREDENTIALS")
    if chosen:
        return Path(chosen).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("postroom")) / "credentials.toml"


def channel_key(brand_slug: str, platform: str, handle: str) -> str:
    """How a channel is named in the file: brand/platform/handle (readable, the same in every
    copy of the database)."""
    return f"{brand_slug}/{platform}/{handle}"


def _check_mode(path: Path) -> None:
    info = path.stat()
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsRefused(
            f"{path} may be read by others (mode {stat.S_IMODE(info.st_mode):o}); "
            f"credentials must be private: chmod 600 {path}"
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise CredentialsRefused(f"{path} belongs to another account; it must be your own")


def load(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Every channel's credentials in the file ({} when there is no file yet)."""
    path = path or location()
    if not path.exists():
        return {}
    _check_mode(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as bad:
        raise CredentialsRefused(f"{path} is not valid TOML ({bad})") from None
    except OSError as error:
        raise CredentialsRefused(f"{path} cannot be read ({error.strerror})") from None
    channels = data.get("channel", {})
    if not isinstance(channels, dict):
        raise CredentialsRefused(f"{path}: [channel] must be a table of channels")
    return {
        k: {f: str(v) for f, v in entry.items()}
        for k, entry in channels.items()
        if isinstance(entry, dict)
    }


def for_channel(key: str, connector: str, path: Path | None = None) -> dict[str, str]:
    """One channel's credentials, or a refusal saying how to add them."""
    path = path or location()
    entry = load(path).get(key)
    if not entry or entry.get("connector") != connector:
        raise CredentialsRefused(
            f"no {connector} credentials for {key} in {path}: run `postroom channel connect` "
            "as the account that runs the scheduler"
        )
    missing = [f for f in FIELDS.get(connector, ()) if not entry.get(f)]
    if missing:
        raise CredentialsRefused(f"{path}: {key} lacks {', '.join(missing)}")
    return entry


def save(key: str, entry: dict[str, str], path: Path | None = None) -> Path:
    """Write one channel's credentials, keeping the others; the file is made 0600 before anything
    secret is in it, and replaced atomically."""
    path = path or location()
    channels = load(path)
    channels[key] = {k: v for k, v in entry.items() if v is not None}
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(b"# Postroom platform credentials: keep this file private (mode 600).\n")
            tomli_w.dump({"channel": channels}, f)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def check_file(path: Path | None = None) -> Path:
    """Refuse, before a scheduler starts, a credentials file others may read (or one that is not
    TOML); a missing file is fine (manual channels need none)."""
    path = path or location()
    load(path)
    return path
