"""How django-axes names the account of a sign-in attempt (settings.AXES_USERNAME_CALLABLE)."""

from django.conf import settings

# The width of axes' username column.
AXES_USERNAME_LENGTH = 255


def axes_username(request, credentials=None) -> str | None:
    """The username as axes reads it (the credentials, else the posted form), cut to the width of
    its table: a longer one, typed on a sign-in page, was a 500 on PostgreSQL. No account has such
    a name (at most 150 characters), so the cut merges nothing that could be locked."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username
