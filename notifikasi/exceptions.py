"""Errors of the delivery infrastructure."""


class DeliveryError(Exception):
    """A channel could not deliver a message. ``permanent`` errors (a refused address, a
    gateway that rejects the request) fail the row at once; others are retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent
