from django.db import migrations

from oversight.loaders import load_regions


def load(apps, schema_editor):
    """The NACC's nine regions as oversight/regions.json gives them, with its source."""
    load_regions(apps.get_model("oversight", "Region"), apps.get_model("oversight", "RegionProvince"))


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_regions_and_wider_areas")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
