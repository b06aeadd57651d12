"""/calendar: an `.ics` attachment of the upcoming premieres of this server's watches (or
of one show, or in DMs of the user's follows), parsed back with the same library: the
expected UIDs and all-day dates, certainty in each description, and the same UID with a
new date and a higher SEQUENCE after the date moves."""

from __future__ import annotations

import hashlib
from datetime import date

from icalendar import Calendar

from bot.client import CliffhangerBot
from bot.services import Services
from tests.discord.product import FakeClock, NewsDesk, Story, product_bot
from tests.fake_discord import FakeDiscord, InteractionResult
from tests.fake_discord.standard_world import StandardWorld

CITADEL = Story("Citadel season 2 premieres April 10, 2025 on Prime Video")
SEVERANCE = Story("Severance season 3 premieres June 20 on Apple TV+", link="https://tv.example/s3")


def uid(identity: str, slug: str) -> str:
    """The UID the calendar must give: a slug and a hash of the season's identity."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:10]
    return f"{slug}-premiere-{digest}@cliffhanger.premieres"


def events_of(answer: InteractionResult, filename: str) -> dict[str, dict[str, object]]:
    """The attachment parsed back with icalendar: each VEVENT by UID."""
    assert answer.original is not None and answer.original.attachments == [filename]
    calendar = Calendar.from_ical(answer.original.files[filename])
    assert calendar["version"] == "2.0"
    return {
        str(event["uid"]): {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "description": str(event["description"]),
            "location": str(event["location"]),
            "status": str(event["status"]),
            "sequence": int(str(event["sequence"])),
        }
        for event in calendar.walk("VEVENT")
    }


async def test_calendar_of_the_servers_watches_parses_back_with_stable_uids(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    clock: FakeClock,
    app: CliffhangerBot,
) -> None:
    empty = await fake.invoke("calendar")
    assert empty.content == "No premiere date is known for the shows watched here yet."
    for show in ("Citadel", "Severance"):
        await fake.invoke("watch", {"show": show, "channel": world.alerts})
    await desk.follow("/tvline", "TVLine")
    await desk.publish("/tvline", CITADEL, SEVERANCE)

    answer = await fake.invoke("calendar", user=world.member)
    assert answer.ephemeral
    assert answer.content.startswith("2 upcoming premieres of the shows watched in this server")
    events = events_of(answer, "premieres.ics")
    citadel, severance = (
        uid("citadel|2|premiere", "citadel-s2"),
        uid("severance|3|premiere", "severance-s3"),
    )
    assert list(events) == [severance, citadel]  # in date order
    assert events[severance]["summary"] == "Severance — Season 3 premiere"
    assert (events[severance]["start"], events[severance]["end"]) == (
        date(2024, 6, 20),
        date(2024, 6, 21),
    )
    assert events[severance]["location"] == "Apple TV+"
    assert events[severance]["status"] == "CONFIRMED"
    assert "How sure: official." in str(events[severance]["description"])
    assert "- TVLine: https://tv.example/s3" in str(events[severance]["description"])
    assert events[citadel]["start"] == date(2025, 4, 10)

    clock.advance(days=1)
    await desk.publish("/tvline", Story("Citadel Season 2 Premiere Date Moved to May 1, 2025"))
    moved = events_of(await fake.invoke("calendar", {"show": "citadel"}), "citadel-premieres.ics")
    assert list(moved) == [citadel]  # the same UID: importing it moves the event
    assert moved[citadel]["start"] == date(2025, 5, 1)
    assert int(str(moved[citadel]["sequence"])) > int(str(events[citadel]["sequence"]))

    unknown = await fake.invoke("calendar", {"show": "zzqx"})
    assert unknown.content.startswith("I don't know a show called “zzqx”")
    assert unknown.original is not None and unknown.original.attachments == []


async def test_calendar_in_dms_is_of_the_users_follows(
    fake: FakeDiscord, world: StandardWorld, services: Services, desk: NewsDesk
) -> None:
    async with fake.running(product_bot(services, None)):
        await fake.invoke_in_dm("follow", {"show": "Severance"}, user=world.member)
        await desk.follow("/tvline", "TVLine")
        await desk.publish("/tvline", CITADEL, SEVERANCE)
        answer = await fake.invoke_in_dm("calendar", user=world.member)
    assert answer.content.startswith("1 upcoming premiere of the shows you follow")
    assert list(events_of(answer, "premieres.ics")) == [uid("severance|3|premiere", "severance-s3")]
