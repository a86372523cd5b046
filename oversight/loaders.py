"""The NACC's nine regions (oversight/regions.json, with its source), as the migration that
made the tables loads them and as the tests load them again after a flush."""

import json
from pathlib import Path

REGIONS_FILE = Path(__file__).resolve().parent / "regions.json"


def load_regions(region_model=None, province_model=None):
    """Create the regions and their provinces that are missing (given models: a migration's)."""
    if region_model is None:
        from .models import Region as region_model, RegionProvince as province_model
    data = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))
    for entry in data["regions"]:
        region, _created = region_model.objects.get_or_create(
            number=entry["number"],
            defaults={"office": entry["office"], "source": data["source"], "confidence": data["confidence"]},
        )
        for province in entry["provinces"]:
            province_model.objects.get_or_create(province=province, defaults={"region": region})
