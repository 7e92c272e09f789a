"""How django-axes names the account (settings.AXES_USERNAME_CALLABLE) and the address
(settings.AXES_CLIENT_IP_CALLABLE) of a sign-in attempt."""

import ipaddress

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


def client_address(request) -> str | None:
    """The address the request came from, as the portal records it (axes' attempts, the lockout's
    audit event).

    Behind settings.TRUSTED_PROXY_COUNT reverse proxies, REMOTE_ADDR is the nearest proxy's; each
    proxy appends the address it was reached from to X-Forwarded-For (nginx:
    `$proxy_add_x_forwarded_for`), so the client's is that many places from the right. Whatever
    lies further left was written by the client and is not believed. With 0 (no proxy) the header
    is ignored, since anybody can send one; so is a header that is short of the trusted hops or
    does not hold an address there (axes stores the address in an address column)."""
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-hops]))
    except ValueError:
        return remote
