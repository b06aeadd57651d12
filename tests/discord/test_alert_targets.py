"""Where alerts go: an announcement channel (each alert is published to followers), a
forum (one post per show, titled with it; later alerts go into its thread) or an existing
thread; the permissions each needs are named at /watch time; and delivery stays
exactly-once for each (a failed publish only publishes again; a post opened by an attempt
that died before recording it is found, not opened twice)."""

from __future__ import annotations

from bot.client import CliffhangerBot
from bot.services import Services
from cogs.alerts import DiscordAlertSender
from tests.discord.product import NewsDesk, Story, deliveries_to, eventually
from tests.discord.test_alerts_delivery import take_over_delivery
from tests.fake_discord import ChannelKind, FakeChannel, FakeDiscord, Perm
from tests.fake_discord.standard_world import StandardWorld

RENEWED = Story("Citadel Renewed for Season 2 at Prime Video")
DATED = Story("Citadel Season 2 Premiere Date Set for July 18")
ANDOR = Story("Andor Renewed for Season 3 at Disney+")


async def all_sent(services: Services, channel: FakeChannel, count: int) -> None:
    async def done() -> bool:
        rows = await deliveries_to(services, channel.id)
        return len(rows) == count and all(row.status == "sent" for row in rows)

    await eventually(done, what=f"{count} deliveries to #{channel.name} sent")


async def test_an_announcement_channel_publishes_each_alert_to_followers(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    news = fake.add_text_channel(world.guild, "tv-news", kind=ChannelKind.NEWS)
    await fake.sync_gateway()
    reply = await fake.invoke("watch", {"show": "citadel", "channel": news})
    assert reply.content == (
        f"Watching **Citadel**: alerts will be posted in <#{news.id}> (published to followers)."
    )
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    await all_sent(services, news, 1)

    (message,) = fake.messages(news)
    assert message.embed_titles == ["Citadel season 2 is happening"]
    assert message.crossposted
    assert [r.status for r in fake.requests(f"POST /channels/{news.id}/messages/*/crosspost")] == [
        200
    ]


async def test_a_failed_publish_is_retried_without_posting_again(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    worker = await take_over_delivery(app)
    news = fake.add_text_channel(world.guild, "tv-news", kind=ChannelKind.NEWS)
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": news})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    crosspost = f"POST /channels/{news.id}/messages/*/crosspost"
    fake.fail_next(crosspost, status=503)

    assert await worker.run_once() == 0
    (posted,) = fake.messages(news)
    assert not posted.crossposted
    (delivery,) = await deliveries_to(services, news.id)
    assert (delivery.status, delivery.message_id) == ("pending", posted.id)
    assert (delivery.last_error or "").startswith("publishing failed: Discord answered 503")

    desk.clock.advance(seconds=10)
    assert await worker.run_once() == 1
    assert fake.messages(news) == [posted] and posted.crossposted
    assert len(fake.requests(f"POST /channels/{news.id}/messages")) == 1  # posted once
    assert [r.status for r in fake.requests(crosspost)] == [503, 200]


async def test_a_forum_gets_one_post_per_show_and_later_alerts_in_its_thread(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    forum = fake.add_forum_channel(world.guild, "tv-forum")
    await fake.sync_gateway()
    reply = await fake.invoke("watch", {"show": "citadel", "channel": forum, "role": world.fans})
    assert reply.content == (
        f"Watching **Citadel**: alerts will be posted in <#{forum.id}> (a post per show), "
        f"mentioning <@&{world.fans.id}>."
    )
    await fake.invoke("watch", {"show": "Andor", "channel": forum})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    await all_sent(services, forum, 1)
    desk.clock.advance(hours=2)
    await desk.publish("/deadline", DATED, ANDOR)
    await all_sent(services, forum, 3)

    posts = {thread.name: thread for thread in fake.threads_of(forum)}
    assert sorted(posts) == ["Andor", "Citadel"]
    citadel = fake.messages(posts["Citadel"])
    assert [m.embed_titles[0] for m in citadel] == [
        "Citadel season 2 is happening",  # the post's opening message
        "Citadel season 2 premiere date",
    ]
    assert citadel[0].id == posts["Citadel"].id  # the starter message, as on Discord
    assert [m.content for m in citadel] == [f"<@&{world.fans.id}>"] * 2
    assert [m.embed_titles for m in fake.messages(posts["Andor"])] == [
        ["Andor season 3 is happening"]
    ]
    assert all(thread.owner_id == fake.bot_user.id for thread in posts.values())
    assert fake.messages(forum) == []
    assert len(fake.requests(f"POST /channels/{forum.id}/threads")) == 2


async def test_two_alerts_about_a_show_at_once_share_its_new_post(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    forum = fake.add_forum_channel(world.guild, "tv-forum")
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": forum})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED, DATED)  # one poll, two alerts, one batch
    await all_sent(services, forum, 2)
    (post,) = fake.threads_of(forum)
    assert sorted(m.embed_titles[0] for m in fake.messages(post)) == [
        "Citadel season 2 is happening",
        "Citadel season 2 premiere date",
    ]


async def test_a_post_opened_before_a_crash_is_found_not_opened_twice(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    worker = await take_over_delivery(app)
    forum = fake.add_forum_channel(world.guild, "tv-forum")
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": forum})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    # An attempt notes it is opening the post, opens it, and dies before recording it.
    (delivery,) = await deliveries_to(services, forum.id)
    async with services.store.transaction() as tx:
        await tx.forum_posts.claim(forum.id, delivery.show_id, now=desk.clock())
    (delivery,) = await deliveries_to(services, forum.id)
    assert delivery.post_started_at is not None
    await DiscordAlertSender(app).send(delivery)
    assert len(fake.threads_of(forum)) == 1

    assert await worker.run_once() == 1  # the next attempt finds the post
    (post,) = fake.threads_of(forum)
    assert [m.embed_titles[0] for m in fake.messages(post)] == ["Citadel season 2 is happening"]
    assert len(fake.requests(f"POST /channels/{forum.id}/threads")) == 1
    assert len(fake.requests(f"GET /guilds/{world.guild.id}/threads/active")) == 2

    desk.clock.advance(hours=1)
    await desk.publish("/deadline", DATED)
    assert await worker.run_once() == 1
    assert len(fake.messages(post)) == 2  # the recorded post takes later alerts


async def test_a_deleted_post_is_replaced_by_a_new_one(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    forum = fake.add_forum_channel(world.guild, "tv-forum")
    await fake.sync_gateway()
    await fake.invoke("watch", {"show": "citadel", "channel": forum})
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    await all_sent(services, forum, 1)
    (first,) = fake.threads_of(forum)
    fake.delete_channel(first)  # a moderator deletes the post

    desk.clock.advance(hours=1)
    await desk.publish("/deadline", DATED)
    await all_sent(services, forum, 2)
    (second,) = fake.threads_of(forum)
    assert second.id != first.id and second.name == "Citadel"
    assert [m.embed_titles[0] for m in fake.messages(second)] == ["Citadel season 2 premiere date"]


async def test_an_existing_thread_gets_the_alerts(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    desk: NewsDesk,
    app: CliffhangerBot,
) -> None:
    thread = fake.add_thread(world.alerts, "citadel-talk")
    await fake.sync_gateway()
    reply = await fake.invoke("watch", {"show": "citadel", "channel": thread})
    assert reply.content == f"Watching **Citadel**: alerts will be posted in <#{thread.id}>."
    await desk.follow("/deadline", "Deadline")
    await desk.publish("/deadline", RENEWED)
    await all_sent(services, thread, 1)
    assert [m.embed_titles for m in fake.messages(thread)] == [["Citadel season 2 is happening"]]
    assert fake.messages(world.alerts) == []


async def test_watch_names_what_each_target_is_missing(
    fake: FakeDiscord,
    world: StandardWorld,
    services: Services,
    app: CliffhangerBot,
) -> None:
    forum = fake.add_forum_channel(world.guild, "tv-forum")
    thread = fake.add_thread(world.alerts, "citadel-talk")
    fake.set_bot_permissions(forum, deny=Perm.SEND_MESSAGES_IN_THREADS)
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES_IN_THREADS)
    await fake.sync_gateway()

    on_forum = await fake.invoke("watch", {"show": "citadel", "channel": forum})
    assert on_forum.content.startswith(
        f"I can't post alerts in <#{forum.id}>: I'm missing **Send Messages in Threads**"
    )
    on_thread = await fake.invoke("watch", {"show": "citadel", "channel": thread})
    missing = on_thread.content.split("**")[1].split(", ")
    assert "Send Messages in Threads" in missing and "Send Messages" not in missing

    fake.set_bot_permissions(world.alerts)  # sending in the parent channel is not needed
    fake.set_bot_permissions(world.alerts, deny=Perm.SEND_MESSAGES)
    await fake.sync_gateway()
    allowed = await fake.invoke("watch", {"show": "citadel", "channel": thread})
    assert allowed.content.startswith("Watching **Citadel**")
