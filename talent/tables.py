import django_tables2 as tables

from .models import Person


class PersonTable(tables.Table):
    """No personal data (phone, ID number) here: the table is exported too."""

    name = tables.Column(linkify=True)
    employee_no = tables.Column()
    unit = tables.Column(order_by=("unit__path",))
    team_group = tables.Column()
    post = tables.Column()
    skill_grade = tables.Column()

    class Meta:
        model = Person
        fields = ("name", "gender", "employee_no", "unit", "team_group", "post", "skill_grade")
