from django.db import migrations

KINDS = ("技术攻关", "工艺改进", "QC 课题", "科研项目", "合理化建议")


def add_defaults(apps, schema_editor):
    ProjectKind = apps.get_model("achievements", "ProjectKind")
    for order, name in enumerate(KINDS, start=1):
        ProjectKind.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("achievements", "0002_search_indexes")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
