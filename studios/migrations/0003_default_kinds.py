from django.db import migrations

KINDS = ["劳模创新工作室", "工匠创新工作室", "职工创新工作室", "技能大师工作室"]


def add_defaults(apps, schema_editor):
    StudioKind = apps.get_model("studios", "StudioKind")
    EligibilityRules = apps.get_model("studios", "EligibilityRules")
    for order, name in enumerate(KINDS, start=1):
        StudioKind.objects.get_or_create(name=name, defaults={"order": order})
    EligibilityRules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("studios", "0002_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
