"""The messages of the ``acp`` protocol between two routers (``PregeneratedPairs`` and its ``PairPool``)."""

from __future__ import annotations

from enum import Enum, auto
from typing import Any

from sequence.message import Message

#: Name (and protocol type) of the ``acp`` protocol on every router; messages are addressed to it.
PROTOCOL_NAME = "acp"


class AcpMsgType(Enum):
    """Message types; QUERY and REPLY belong to generation (S1-S3), the others to Check EP."""

    QUERY = auto()  # S1 -> S2: reserve a memory for a pre-generated pair with me
    REPLY = auto()  # S3: yes (with the memory) or no
    CHECK = auto()  # a request asks the link's authority for a pre-generated pair
    NONE = auto()  # the authority has none now (it will offer the next one)
    OFFER = auto()  # the authority hands a pair to a request
    TAKEN = auto()  # the other end confirms an offered pair (when the authority is the request's initiator)
    DECLINE = auto()  # an offered pair is not wanted or not held any more
    RELEASE = auto()  # a delivered pair's memory may be freed
    ADOPT = auto()  # the authority gave a pair to a link of a multi-hop request: adopt the other half too


class AcpMessage(Message):
    """An ``acp`` message; ``payload`` holds its fields as keyword arguments of the handler."""

    def __init__(self, msg_type: AcpMsgType, **payload: Any) -> None:
        super().__init__(msg_type, PROTOCOL_NAME)
        self.protocol_type = PROTOCOL_NAME
        self.payload = payload
