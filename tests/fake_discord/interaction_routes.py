"""The interaction routes: callbacks, follow-ups and edits of interaction messages.

They need no bot token (discord.py sends none): the interaction id and token authenticate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.fake_discord.interactions import (
    Callback,
    CallbackType,
    InteractionResult,
    InteractionType,
)
from tests.fake_discord.messages import (
    EPHEMERAL,
    SUPPRESS_EMBEDS,
    SUPPRESS_NOTIFICATIONS,
    MessageStore,
    RecordedMessage,
    validate_message_body,
)
from tests.fake_discord.models import JSON
from tests.fake_discord.responses import (
    ALREADY_ACKNOWLEDGED,
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    FakeResponse,
    Handler,
    RestRequest,
    error,
)
from tests.fake_discord.world import World

SETTABLE_FLAGS = EPHEMERAL | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS

# Which callbacks Discord accepts for which interaction type.
_ALLOWED_CALLBACKS: dict[InteractionType, set[CallbackType]] = {
    InteractionType.APPLICATION_COMMAND: {
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.MODAL,
    },
    InteractionType.AUTOCOMPLETE: {CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT},
    InteractionType.MESSAGE_COMPONENT: {
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
        CallbackType.MODAL,
    },
    InteractionType.MODAL_SUBMIT: {
        CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        CallbackType.DEFERRED_UPDATE_MESSAGE,
        CallbackType.UPDATE_MESSAGE,
    },
}


@dataclass
class Interactions:
    """Interactions sent to the bot, by id and by token."""

    by_id: dict[int, InteractionResult] = field(default_factory=dict)
    by_token: dict[str, InteractionResult] = field(default_factory=dict)

    def add(self, result: InteractionResult) -> None:
        """Register an interaction before it is dispatched."""
        self.by_id[result.id] = result
        self.by_token[result.token] = result


class InteractionRoutes:
    """Handlers for `/interactions/...` and `/webhooks/{app}/{token}/...`."""

    def __init__(self, *, world: World, messages: MessageStore, interactions: Interactions) -> None:
        self._world = world
        self._messages = messages
        self._interactions = interactions

    def routes(self) -> list[tuple[str, str, Handler]]:
        """(method, path template, handler) for every interaction route."""
        original = "/webhooks/{app_id}/{token}/messages/@original"
        by_id = "/webhooks/{app_id}/{token}/messages/{message_id}"
        return [
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app_id}/{token}", self._followup),
            ("GET", original, self._get_webhook_message),
            ("PATCH", original, self._edit_webhook_message),
            ("DELETE", original, self._delete_webhook_message),
            ("GET", by_id, self._get_webhook_message),
            ("PATCH", by_id, self._edit_webhook_message),
            ("DELETE", by_id, self._delete_webhook_message),
        ]

    async def _callback(self, request: RestRequest) -> FakeResponse:
        result = self._interactions.by_id.get(request.int_param("interaction_id"))
        if result is None or result.token != request.params["token"]:
            return UNKNOWN_INTERACTION
        if result.callbacks:
            return ALREADY_ACKNOWLEDGED
        body = request.json()
        try:
            kind = CallbackType(int(body.get("type") or 0))
        except ValueError:
            return error(400, "Invalid Form Body", 50035)
        if kind not in _ALLOWED_CALLBACKS.get(result.type, set()):
            return error(400, "Interaction callback type is not valid for this interaction", 50035)
        data: JSON = dict(body.get("data") or {})
        invalid = self._check_callback_data(kind, data, request)
        if invalid is not None:
            return invalid
        message = self._apply_callback(result, kind, data, request.files)
        if message is not None and request.uploads:
            message.files = dict(request.uploads)
        result.callbacks.append(Callback(kind, data))
        result.changes.notify()
        answer: JSON = {
            "id": str(result.id),
            "type": int(result.type),
            "response_message_loading": kind is CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            "response_message_ephemeral": message is not None and message.ephemeral,
        }
        if message is not None:
            answer["response_message_id"] = str(message.id)
        resource: JSON = {"type": int(kind)}
        if message is not None:
            resource["message"] = message.payload(application_id=self._world.application.id)
        return FakeResponse(200, {"interaction": answer, "resource": resource})

    def _check_callback_data(
        self, kind: CallbackType, data: JSON, request: RestRequest
    ) -> FakeResponse | None:
        if kind is CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            invalid = validate_message_body({**data, "attachments": request.files}, creating=True)
            return None if invalid is None else FakeResponse(400, invalid)
        if kind is CallbackType.UPDATE_MESSAGE:
            invalid = validate_message_body(data, creating=False)
            return None if invalid is None else FakeResponse(400, invalid)
        if kind is CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            choices = data.get("choices") or []
            if len(choices) > 25:
                return error(400, "Invalid Form Body: more than 25 choices", 50035)
            for choice in choices:
                if not 1 <= len(str(choice.get("name", ""))) <= 100:
                    return error(400, "Invalid Form Body: choice name must be 1-100 chars", 50035)
        if kind is CallbackType.MODAL and not (
            data.get("custom_id") and data.get("title") and data.get("components")
        ):
            return error(
                400, "Invalid Form Body: a modal needs custom_id, title, components", 50035
            )
        return None

    def _apply_callback(
        self, result: InteractionResult, kind: CallbackType, data: JSON, files: list[str]
    ) -> RecordedMessage | None:
        if kind in (
            CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
        ):
            deferred = kind is CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            message = self._interaction_message(result, data, files, loading=deferred)
            result.original = message
            self._messages.add(message)
            return message
        if kind is CallbackType.UPDATE_MESSAGE and result.original is not None:
            result.original.apply_edit(data)
            result.edits += 1
            self._messages.notify()
            return result.original
        return None

    def _interaction_message(
        self, result: InteractionResult, data: JSON, files: list[str], *, loading: bool
    ) -> RecordedMessage:
        channel = self._world.live_channel(result.channel_id)
        unpingable, everyone = (
            (frozenset(), False) if channel is None else self._world.ping_rules(channel)
        )
        return RecordedMessage(
            id=self._world.ids.next(),
            channel_id=result.channel_id,
            guild_id=result.guild_id,
            author=self._world.bot,
            content="" if loading else str(data.get("content") or ""),
            embeds=[] if loading else list(data.get("embeds") or []),
            components=[] if loading else list(data.get("components") or []),
            allowed_mentions=data.get("allowed_mentions"),
            flags=int(data.get("flags") or 0) & SETTABLE_FLAGS,
            attachments=list(files),
            interaction_id=result.id,
            loading=loading,
            unpingable_role_ids=unpingable,
            can_ping_everyone=everyone,
        )

    def _webhook_interaction(self, request: RestRequest) -> InteractionResult | FakeResponse:
        result = self._interactions.by_token.get(request.params["token"])
        if (
            result is None
            or request.int_param("app_id") != self._world.application.id
            or not result.callbacks
        ):
            # Discord refuses follow-ups before the interaction was acknowledged.
            return UNKNOWN_WEBHOOK
        return result

    async def _followup(self, request: RestRequest) -> FakeResponse:
        result = self._webhook_interaction(request)
        if isinstance(result, FakeResponse):
            return result
        body = request.json()
        invalid = validate_message_body({**body, "attachments": request.files}, creating=True)
        if invalid is not None:
            return FakeResponse(400, invalid)
        original = result.original
        if result.deferred and original is not None and original.loading:
            # After a defer, the first follow-up becomes the deferred response itself (and
            # keeps the defer's ephemeral flag), as on Discord.
            original.apply_edit(body)
            original.attachments = list(request.files)
            original.files = dict(request.uploads)
            message = original
            self._messages.notify()
        else:
            message = self._interaction_message(result, body, request.files, loading=False)
            message.files = dict(request.uploads)
            self._messages.add(message)
        result.followups.append(message)
        result.changes.notify()
        if request.query.get("wait", "").lower() in ("1", "true"):
            return FakeResponse(200, message.payload(application_id=self._world.application.id))
        return FakeResponse(204)

    def _webhook_message(
        self, request: RestRequest
    ) -> tuple[InteractionResult, RecordedMessage] | FakeResponse:
        result = self._webhook_interaction(request)
        if isinstance(result, FakeResponse):
            return result
        if "message_id" not in request.params:
            message = result.original
        else:
            wanted = request.int_param("message_id")
            message = next((m for m in result.messages if m.id == wanted), None)
        if message is None or message.deleted:
            return UNKNOWN_MESSAGE
        return result, message

    async def _get_webhook_message(self, request: RestRequest) -> FakeResponse:
        found = self._webhook_message(request)
        if isinstance(found, FakeResponse):
            return found
        return FakeResponse(200, found[1].payload(application_id=self._world.application.id))

    async def _edit_webhook_message(self, request: RestRequest) -> FakeResponse:
        found = self._webhook_message(request)
        if isinstance(found, FakeResponse):
            return found
        result, message = found
        body = request.json()
        invalid = validate_message_body(body, creating=False)
        if invalid is not None:
            return FakeResponse(400, invalid)
        message.apply_edit(body)
        result.edits += 1
        result.changes.notify()
        self._messages.notify()
        return FakeResponse(200, message.payload(application_id=self._world.application.id))

    async def _delete_webhook_message(self, request: RestRequest) -> FakeResponse:
        found = self._webhook_message(request)
        if isinstance(found, FakeResponse):
            return found
        result, message = found
        message.deleted = True
        result.changes.notify()
        self._messages.notify()
        return FakeResponse(204)
