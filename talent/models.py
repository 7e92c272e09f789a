from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.models import TimeStampedModel
from core.permissions import ScopedQuerySet

from .choices import Gender, HonourKind, HonourLevel, SkillGrade


class Person(TimeStampedModel):
    """A person in the talent registry (人才). Not every person has a login; `user` links one.

    `phone` and `id_number` are personal data: only those who manage the person's unit see them.
    `skill_grade` mirrors the newest SkillGradeChange (kept by talent.services) for filtering.
    """

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=30, unique=True, null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people")
    team_group = models.CharField(_("team (班组)"), max_length=60, blank=True)
    post = models.CharField(_("post"), max_length=60, blank=True)
    skill_grade = models.CharField(_("skill grade"), max_length=30, choices=SkillGrade.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "name"], name="person_unit_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("talent:person_detail", args=[self.pk])


class SkillGradeChange(models.Model):
    """One change of a person's skill grade, dated, with its proof."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="grade_changes")
    grade = models.CharField(_("skill grade"), max_length=30, choices=SkillGrade.choices)
    changed_on = models.DateField(_("date"))
    proof = models.FileField(_("proof"), upload_to="grades/", blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill grade change")
        verbose_name_plural = _("skill grade changes")
        ordering = ["-changed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "grade", "changed_on"], name="grade_change_once"),
        ]

    def __str__(self):
        return f"{self.person} {self.get_grade_display()} {self.changed_on}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()


class Honour(models.Model):
    """An honour title a person holds (劳模, 五一劳动奖章, 工匠, 技术能手), with level and year."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("kind"), max_length=30, choices=HonourKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices)
    title = models.CharField(_("title"), max_length=100, help_text=_("The exact title, e.g. 荆楚工匠 or 全国劳动模范."))
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "title", "year"], name="honour_once_a_year"),
            models.CheckConstraint(condition=models.Q(year__gte=1950, year__lte=2100), name="honour_year_range"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return self.person.get_absolute_url()
