"""factory_boy factories. Units go through treebeard's add_root/add_child so paths are real."""

import factory
from factory.django import DjangoModelFactory

from accounts.choices import Role, UnitKind
from accounts.models import Unit, User
from core.models import Notification

TEST_PASSWORD = "correct-horse-battery-2026"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"U{n:05d}")
    kind = UnitKind.PLANT
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            root = Unit.objects.get_first_root_node()
            if root is None:
                return Unit.objects.add_root(kwargs)
            parent = root
        return Unit.objects.add_child(Unit.objects.get(pk=parent.pk), kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"职工{n}")
    role = Role.STUDIO_LEAD
    unit = factory.SubFactory(UnitFactory)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"通知{n}")
    url = "/"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = "talent.Person"

    name = factory.Sequence(lambda n: f"人员{n}")
    unit = factory.SubFactory(UnitFactory)
    employee_no = factory.Sequence(lambda n: f"P{n:06d}")
    team_group = factory.Sequence(lambda n: f"班组{n % 3}")


class StudioFactory(DjangoModelFactory):
    """A studio with its lead as the first member (as studios.services.studio_create makes it)."""

    class Meta:
        model = "studios.Studio"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"创新工作室{n}")
    kind = factory.LazyFunction(
        lambda: __import__("studios.models", fromlist=["StudioKind"]).StudioKind.objects.first()
    )
    unit = factory.SubFactory(UnitFactory)
    lead = factory.SubFactory(PersonFactory, unit=factory.SelfAttribute("..unit"))
    status = "draft"
    venue_address = "一号楼"
    venue_area = 50
    planned_projects = 2

    @factory.post_generation
    def lead_membership(self, create, extracted, **kwargs):
        if create:
            from studios.models import Membership

            Membership.objects.create(studio=self, person=self.lead, role="lead", joined_on="2024-01-01")
