"""Every app's `myaccount` module, found the way the admin finds `admin.py` modules.

An app that keeps data about a person adds `<app>/myaccount.py` with
- `personal_data(user) -> dict`: its part of "download my data";
- `forget(user)`: what it erases or lets go when the person deletes their account;
- optionally `sections(request) -> list[Section]`: a box of settings on My account (e.g.
  reminders), so a new app adds its settings without editing accounts.
accounts only gathers them, so it never imports upward and a new app's data is never left out
(tests/accounts/test_every_app_is_gathered.py fails for an app with user data and no module).
"""

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

MODULE = "myaccount"


@dataclass(frozen=True)
class Section:
    """A box on My account: a heading and a template rendered with the context."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


def modules():
    found = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.{MODULE}"
        if find_spec(app_config.name) and find_spec(name):
            found.append((app_config.label, import_module(name)))
    return found


def personal_data(user):
    data = {}
    for label, module in modules():
        data.update({f"{label}.{key}": value for key, value in module.personal_data(user).items()})
    return data


def forget(user):
    for _label, module in modules():
        module.forget(user)


def sections(request):
    return [
        section
        for _label, module in modules()
        if hasattr(module, "sections")
        for section in module.sections(request)
    ]
