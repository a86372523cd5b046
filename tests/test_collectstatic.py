"""Production static files: the manifest storage must be able to process every vendored file
(it follows source-map and url() references, and fails the deploy on a missing one)."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_manifest_storage_succeeds(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("fonts/sarabun/Sarabun-Regular.*.ttf"))
