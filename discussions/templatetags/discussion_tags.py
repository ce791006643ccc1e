from __future__ import annotations

from django import template
from django.conf import settings

from discussions.models import Comment
from discussions.services import comment_can_edit

register = template.Library()


@register.simple_tag
def comment_limit() -> int:
    return int(settings.COMMENT_MAX_LENGTH)


@register.filter
def editable_by(comment: Comment, user: object) -> bool:
    return comment_can_edit(comment=comment, user=user)
