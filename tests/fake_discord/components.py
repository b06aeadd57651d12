"""Message components: finding one by custom id, and filling in a modal the bot opened."""

from __future__ import annotations

from collections.abc import Mapping

from tests.fake_discord.models import JSON

# Select menu component types (string, user, role, mentionable, channel).
_SELECTS = {3, 5, 6, 7, 8}


def find_component(components: list[JSON], custom_id: str) -> JSON | None:
    """The component with `custom_id` anywhere in a message's component tree."""
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        children = list(component.get("components") or [])
        if "component" in component:
            children.append(component["component"])
        found = find_component(children, custom_id)
        if found is not None:
            return found
    return None


def fill_modal(component: JSON, values: Mapping[str, str | list[str]]) -> JSON:
    """The submitted form of one modal component: rows and labels keep their shape, text
    inputs carry a `value`, selects carry `values`."""
    kind = int(component.get("type", 0))
    filled: JSON = {"type": kind}
    if "id" in component:
        filled["id"] = component["id"]
    if kind == 1:
        children = list(component.get("components") or [])
        filled["components"] = [fill_modal(child, values) for child in children]
    elif kind == 18:
        filled["component"] = fill_modal(component["component"], values)
    elif "custom_id" in component:
        custom_id = str(component["custom_id"])
        filled["custom_id"] = custom_id
        entered = values.get(custom_id)
        if kind in _SELECTS:
            filled["values"] = [] if entered is None else list(entered)
        else:
            filled["value"] = str(component.get("value") or "") if entered is None else entered
    return filled
