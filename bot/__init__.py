"""Cliffhanger: TV renewal, cancellation and premiere news for Discord."""

from bot.native import check_extensions

check_extensions()
