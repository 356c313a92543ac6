"""Every app of ours that keeps rows about a person offers them to My account."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from accounts import registry


def our_apps_with_personal_rows():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):  # not a library
            continue
        for model in app_config.get_models():
            if any(
                field.is_relation and field.related_model is user_model
                for field in model._meta.get_fields()
                if not field.auto_created
            ):
                yield app_config.label
                break


def test_the_apps_with_personal_rows_are_the_ones_we_know():
    assert set(our_apps_with_personal_rows()) == {
        "accounts",
        "certification",
        "lessons",
        "organisations",
        "quizzes",
        "training",
    }


@pytest.mark.parametrize("label", sorted(set(our_apps_with_personal_rows())))
def test_app_offers_personal_data_and_forget(label):
    modules = dict(registry.modules())
    assert label in modules, f"{label} keeps rows about people but has no myaccount.py"
    assert callable(modules[label].personal_data)
    assert callable(modules[label].forget)
