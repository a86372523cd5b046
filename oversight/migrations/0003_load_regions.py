import json
from pathlib import Path

from django.db import migrations

REGIONS_FILE = Path(__file__).resolve().parent.parent / "regions.json"


def load_regions(apps, schema_editor):
    """The NACC's nine regions as oversight/regions.json gives them, with its source."""
    Region = apps.get_model("oversight", "Region")
    RegionProvince = apps.get_model("oversight", "RegionProvince")
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    for entry in data["regions"]:
        region, _created = Region.objects.get_or_create(
            number=entry["number"],
            defaults={"office": entry["office"], "source": data["source"], "confidence": data["confidence"]},
        )
        for province in entry["provinces"]:
            RegionProvince.objects.get_or_create(province=province, defaults={"region": region})


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_regions_and_wider_areas")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
