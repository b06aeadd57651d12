"""An alert as the outbox stores it: the AlertChange as JSON, read back unchanged."""

from __future__ import annotations

import json
from datetime import datetime

from bot.models import AlertChange, Certainty, Source


def change_to_json(change: AlertChange) -> str:
    """Serialise an alert for the outbox."""
    source = change.source
    return json.dumps(
        {
            "show": change.show,
            "season": change.season,
            "event": change.event,
            "value": change.value,
            "certainty": change.certainty.value,
            "network": change.network,
            "extra": change.extra,
            "source": {
                "outlet": source.outlet,
                "link": source.link,
                "title": source.title,
                "published": source.published.isoformat() if source.published else None,
            },
        }
    )


def change_from_json(text: str) -> AlertChange:
    """Read back an alert serialised by `change_to_json`."""
    data = json.loads(text)
    source = data["source"]
    return AlertChange(
        show=data["show"],
        season=data["season"],
        event=data["event"],
        value=data["value"],
        certainty=Certainty(data["certainty"]),
        network=data.get("network"),
        extra=dict(data.get("extra") or {}),
        source=Source(
            outlet=source["outlet"],
            link=source.get("link"),
            title=source.get("title", ""),
            published=datetime.fromisoformat(source["published"])
            if source.get("published")
            else None,
        ),
    )
