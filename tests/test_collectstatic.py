"""Production static files: the manifest storage must be able to process every vendored file
(it follows source-map and url() references, and fails the deploy on a missing one)."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipOnly(CompressedManifestStaticFilesStorage):
    """The production storage, its compression step with gzip alone: Brotli at its highest
    quality over the admin's and the vendored files took over half a minute of the suite, and
    compressing follows no reference (the manifest step before it does)."""

    def create_compressor(self, **kwargs):
        return Compressor(use_brotli=False, **kwargs)


def test_collectstatic_with_manifest_storage_succeeds(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": f"{__name__}.GzipOnly"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("fonts/sarabun/Sarabun-Regular.*.ttf"))
    assert list(tmp_path.glob("vendor/bootstrap-5.3.9/bootstrap.min.*.css.gz"))
