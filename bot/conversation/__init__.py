"""The one conversation: a press or a typed line becomes a service call and screens, for every
front end alike (`Conversation` for nominators, `StatementConversation` for a colleague writing a
supporting statement, `ApprovalConversation` for a nominee approving their nomination)."""

from bot.conversation.approvals import ApprovalConversation
from bot.conversation.conversation import Conversation, Press, Turn, press_of
from bot.conversation.statements import StatementConversation

__all__ = [
    "ApprovalConversation",
    "Conversation",
    "Press",
    "StatementConversation",
    "Turn",
    "press_of",
]
