"""Helpers for the alliance browser journey (no tests here)."""

from .test_login_browser import DEMO_PASSWORD


def link_login(employee_no: str, username: str):
    """A studio-lead login for a demo person who has none yet."""
    from accounts.choices import Role
    from accounts.models import User
    from accounts.services import user_create, user_password_change
    from talent.models import Person
    from talent.services import person_link_user

    hq = User.objects.get(username="hq_cadre")
    person = Person.objects.get(employee_no=employee_no)
    user, _password = user_create(
        actor=hq, username=username, name=person.name, role=Role.STUDIO_LEAD, unit=person.unit
    )
    user_password_change(user=user, new_password=DEMO_PASSWORD)
    person_link_user(actor=hq, person=person, user=user)
    return user
