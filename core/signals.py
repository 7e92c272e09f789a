"""Receivers for signals of third-party code that has no service to call into.

They only hand over to a service; the portal's own writes never rely on signals.
"""

from axes.signals import user_locked_out
from django.dispatch import receiver


@receiver(user_locked_out)
def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    from accounts.services import user_lockout_record

    user_lockout_record(username=username, ip_address=ip_address)
