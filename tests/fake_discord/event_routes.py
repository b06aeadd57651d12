"""Guild scheduled events and DM channels: the routes for what lives beside channels.

* `POST /guilds/{guild}/scheduled-events` creates an event; the fake models external events
  (entity type 3: a location, an end time, guild-only privacy) and checks what Discord
  checks: Manage Events (or Create Events) guild-wide, name 1-100 characters, description
  up to 1,000, location 1-100, a start in the future (by the fake's clock) before the end.
* `GET` lists a guild's events or fetches one (404 10070 Unknown Guild Scheduled Event);
  `PATCH` edits and `DELETE` deletes one, with Manage Events, or Create Events for the
  bot's own events.
* `POST /users/@me/channels` opens (or returns) the bot's DM channel with a user; sending
  there is checked in `RestApi._create_message` (50007 when the user's DMs are closed or
  they share no guild with the bot).

Events are dispatched with the GUILD_SCHEDULED_EVENTS intent, which the bot does not ask
for, so it does not receive them (as on Discord).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tests.fake_discord.messages import form_error
from tests.fake_discord.models import JSON, FakeGuild, FakeScheduledEvent
from tests.fake_discord.permissions import Perm
from tests.fake_discord.responses import (
    MISSING_PERMISSIONS,
    UNKNOWN_GUILD,
    FakeResponse,
    Handler,
    RestRequest,
    error,
)
from tests.fake_discord.world import World

GUILD_SCHEDULED_EVENTS_INTENT = 1 << 16
EXTERNAL = 3
GUILD_ONLY = 2
UNKNOWN_EVENT = error(404, "Unknown Guild Scheduled Event", 10070)
UNKNOWN_USER = error(404, "Unknown User", 10013)


def _time(value: object) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class EventRoutes:
    """Handlers for guild scheduled events and DM channels."""

    def __init__(
        self,
        *,
        world: World,
        dispatch: Callable[[str, JSON, int], object],
        clock: Callable[[], datetime],
    ) -> None:
        self._world = world
        self._dispatch = dispatch
        self._clock = clock

    def routes(self) -> list[tuple[str, str, Handler]]:
        """(method, path template, handler) for every route here (all need the token)."""
        one = "/guilds/{guild_id}/scheduled-events/{event_id}"
        return [
            ("GET", "/guilds/{guild_id}/scheduled-events", self._list),
            ("POST", "/guilds/{guild_id}/scheduled-events", self._create),
            ("GET", one, self._get),
            ("PATCH", one, self._edit),
            ("DELETE", one, self._delete),
            ("POST", "/users/@me/channels", self._open_dm),
        ]

    # -- helpers ----------------------------------------------------------------------

    def _guild(self, request: RestRequest) -> FakeGuild | FakeResponse:
        guild = self._world.guilds.get(request.int_param("guild_id"))
        if guild is None or self._world.bot.id not in guild.members:
            return UNKNOWN_GUILD
        return guild

    def _event(self, request: RestRequest) -> tuple[FakeGuild, FakeScheduledEvent] | FakeResponse:
        guild = self._guild(request)
        if isinstance(guild, FakeResponse):
            return guild
        event = guild.scheduled_events.get(request.int_param("event_id"))
        if event is None or event.deleted:
            return UNKNOWN_EVENT
        return guild, event

    def _may_manage(self, guild: FakeGuild, event: FakeScheduledEvent | None) -> bool:
        """Manage Events for any event; Create Events to create, and for one's own."""
        granted = self._world.bot_guild_permissions(guild)
        if granted & Perm.MANAGE_EVENTS:
            return True
        own = event is None or event.creator.id == self._world.bot.id
        return bool(granted & Perm.CREATE_EVENTS) and own

    def _invalid(self, body: JSON, *, creating: bool) -> FakeResponse | None:
        """Discord's 400 for an invalid event body (an edit only checks what it sends)."""
        checks: list[tuple[str, bool, str]] = []
        if creating or "name" in body:
            name = str(body.get("name") or "")
            checks.append(("name", 1 <= len(name) <= 100, "Must be between 1 and 100 in length."))
        if "description" in body and body["description"] is not None:
            fits = len(str(body["description"])) <= 1000
            checks.append(("description", fits, "Must be 1000 or fewer in length."))
        if creating or "entity_type" in body:
            kind_ok = body.get("entity_type") == EXTERNAL
            checks.append(("entity_type", kind_ok, "The fake models external events only."))
        if creating or "privacy_level" in body:
            private = body.get("privacy_level") == GUILD_ONLY
            checks.append(("privacy_level", private, "Value must be one of {2}."))
        if creating or "entity_metadata" in body:
            location = str((body.get("entity_metadata") or {}).get("location") or "")
            checks.append(
                ("entity_metadata.location", 1 <= len(location) <= 100, "Must be 1-100 long.")
            )
        for name, ok, message in checks:
            if not ok:
                return FakeResponse(400, form_error(name, "BASE_TYPE_BAD_LENGTH", message))
        return None

    def _times(self, start: object, end: object) -> FakeResponse | None:
        begins, ends = _time(start), _time(end)
        if begins is None:
            return FakeResponse(
                400, form_error("scheduled_start_time", "DATE_TIME_INVALID", "Invalid time.")
            )
        if ends is None:
            return FakeResponse(
                400,
                form_error("scheduled_end_time", "BASE_TYPE_REQUIRED", "Required for external."),
            )
        if begins <= self._clock():
            return FakeResponse(
                400,
                form_error(
                    "scheduled_start_time",
                    "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                    "Cannot schedule event in the past.",
                ),
            )
        if ends <= begins:
            return FakeResponse(
                400,
                form_error(
                    "scheduled_end_time", "GUILD_SCHEDULED_EVENT_END_BEFORE_START", "End first."
                ),
            )
        return None

    # -- handlers ---------------------------------------------------------------------

    async def _list(self, request: RestRequest) -> FakeResponse:
        guild = self._guild(request)
        if isinstance(guild, FakeResponse):
            return guild
        events = [e.payload() for e in guild.scheduled_events.values() if not e.deleted]
        return FakeResponse(200, events)

    async def _get(self, request: RestRequest) -> FakeResponse:
        found = self._event(request)
        return found if isinstance(found, FakeResponse) else FakeResponse(200, found[1].payload())

    async def _create(self, request: RestRequest) -> FakeResponse:
        guild = self._guild(request)
        if isinstance(guild, FakeResponse):
            return guild
        if not self._may_manage(guild, None):
            return MISSING_PERMISSIONS
        body = request.json()
        invalid = self._invalid(body, creating=True) or self._times(
            body.get("scheduled_start_time"), body.get("scheduled_end_time")
        )
        if invalid is not None:
            return invalid
        event = FakeScheduledEvent(
            id=self._world.ids.next(),
            guild_id=guild.id,
            creator=self._world.bot,
            name=str(body["name"]),
            start=str(body["scheduled_start_time"]),
            end=str(body["scheduled_end_time"]),
            location=str(body["entity_metadata"]["location"]),
            description=body.get("description"),
        )
        guild.scheduled_events[event.id] = event
        self._dispatch(
            "GUILD_SCHEDULED_EVENT_CREATE", event.payload(), GUILD_SCHEDULED_EVENTS_INTENT
        )
        return FakeResponse(200, event.payload())

    async def _edit(self, request: RestRequest) -> FakeResponse:
        found = self._event(request)
        if isinstance(found, FakeResponse):
            return found
        guild, event = found
        if not self._may_manage(guild, event):
            return MISSING_PERMISSIONS
        body = request.json()
        invalid = self._invalid(body, creating=False) or self._times(
            body.get("scheduled_start_time", event.start),
            body.get("scheduled_end_time", event.end),
        )
        if invalid is not None:
            return invalid
        event.name = str(body.get("name", event.name))
        event.description = body.get("description", event.description)
        event.start = str(body.get("scheduled_start_time", event.start))
        event.end = str(body.get("scheduled_end_time", event.end))
        if body.get("entity_metadata"):
            event.location = str(body["entity_metadata"].get("location", event.location))
        event.edits += 1
        self._dispatch(
            "GUILD_SCHEDULED_EVENT_UPDATE", event.payload(), GUILD_SCHEDULED_EVENTS_INTENT
        )
        return FakeResponse(200, event.payload())

    async def _delete(self, request: RestRequest) -> FakeResponse:
        found = self._event(request)
        if isinstance(found, FakeResponse):
            return found
        guild, event = found
        if not self._may_manage(guild, event):
            return MISSING_PERMISSIONS
        event.deleted = True
        self._dispatch(
            "GUILD_SCHEDULED_EVENT_DELETE", event.payload(), GUILD_SCHEDULED_EVENTS_INTENT
        )
        return FakeResponse(204)

    async def _open_dm(self, request: RestRequest) -> FakeResponse:
        recipient = str(request.json().get("recipient_id"))
        user_id = int(recipient) if recipient.isdigit() else -1
        if user_id not in self._world.users:
            return UNKNOWN_USER
        channel = self._world.dm_channel(user_id)
        payload = channel.payload()
        payload["recipients"] = [self._world.users[user_id].payload()]
        return FakeResponse(200, payload)
