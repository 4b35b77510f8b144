"""Domain errors of the perizinan app. Views turn them into messages."""

from __future__ import annotations


class WorkflowError(Exception):
    """A move that is not allowed now: wrong state, wrong role, out of scope or stale."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message

    def __str__(self):
        return str(self.message)
