"""Writes on core's shared vocabulary: how tags read to readers in each language."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from taggit.models import Tag

from core.i18n import texts_set
from core.models import TagLabel


def tag_label_set(*, tag: Tag, texts: Mapping[str, str]) -> TagLabel:
    """Set a tag's label in the given languages ({"fr": "énergie"}); the others stay."""
    with transaction.atomic():
        label, _created = TagLabel.objects.select_for_update().get_or_create(tag=tag)
        changed = texts_set(label, "text", texts)
        if changed:
            label.save(update_fields=changed)
    return label
