"""The one conversation: a press or a typed line becomes a service call and screens, for every
front end alike (`Conversation` for nominators, `StatementConversation` for a colleague writing a
supporting statement)."""

from bot.conversation.conversation import Conversation, Press, Turn, press_of
from bot.conversation.statements import StatementConversation

__all__ = ["Conversation", "Press", "StatementConversation", "Turn", "press_of"]
