"""Every admin list, add and change page loads for a superuser, with the seed loaded."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.fixture
def admin_client_seeded(seed, client):
    user = get_user_model().objects.create_superuser("root", password="pw-for-tests-2569")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_admin_pages_load(admin_client_seeded, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_seeded.get(changelist).status_code == 200
    assert admin_client_seeded.get(changelist, {"q": "วังหมี"}).status_code == 200
    add = admin_client_seeded.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # Read-only records (django-axes' sign-in log) refuse their add page to everyone.
    can_add = admin.site._registry[model].has_add_permission(add.wsgi_request)
    assert add.status_code == (200 if can_add else 403)
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client_seeded.get(change).status_code == 200
