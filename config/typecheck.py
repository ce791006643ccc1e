"""For the type checker only (config/settings_typecheck.py): the declared managers back on the
models django-modeltranslation patched."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models import Manager
from modeltranslation.manager import MultilingualManager
from modeltranslation.translator import translator


class DeclaredManagersConfig(AppConfig):
    name = "config"
    label = "assay_typecheck"

    def ready(self) -> None:
        for model in translator.get_registered_models(abstract=False):
            for manager in (*model._meta.local_managers, *model._meta.managers):
                patched = type(manager)
                if not issubclass(patched, MultilingualManager):
                    continue
                declared = [
                    base
                    for base in patched.__mro__[1:]
                    if issubclass(base, Manager)
                    and not base.__module__.startswith("modeltranslation")
                ]
                manager.__class__ = declared[0]
