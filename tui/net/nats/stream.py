"""The stream the collector publishes to: created when missing, its limits kept as configured."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from tui.config import NatsConfig

MIB = 1024**2


def stream_config(config: NatsConfig) -> StreamConfig:
    """The stream ``[nats]`` describes: every subject under the prefix, on disk, oldest out
    first when a limit is reached."""
    return StreamConfig(
        name=config.stream,
        subjects=[config.subjects],
        max_age=config.max_age_days * 86_400.0,
        max_bytes=config.max_bytes_mb * MIB,
        duplicate_window=config.duplicate_window_s,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
    )


async def ensure_stream(js: JetStreamContext, config: NatsConfig) -> None:
    """Create the stream, or bring an existing one's subjects and limits to the config's (the
    collectors writing to one stream share one ``[nats]`` section)."""
    wanted = stream_config(config)
    try:
        await js.stream_info(config.stream)
    except NotFoundError:
        await js.add_stream(wanted)
        return
    await js.update_stream(wanted)
