from .models import Person


def person_list(user):
    return Person.objects.visible_to(user).select_related("unit")


def person_choices(user):
    return Person.objects.visible_to(user).select_related("unit").order_by("name")
