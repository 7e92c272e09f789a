from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """An action that the object's current state does not allow (e.g. approving twice)."""
