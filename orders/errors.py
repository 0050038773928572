from django.core.exceptions import ValidationError


class OrderError(ValidationError):
    """A business rule refused the change; its message is shown to the user as it is."""


class InvalidTransition(OrderError):
    """The order is not in a status from which this change is allowed."""
