from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_committed_french_catalogue_is_compiled_and_used():
    with translation.override("fr"):
        assert translation.gettext("Skip to content") == "Aller au contenu"
        assert translation.ngettext("%(n)s comment", "%(n)s comments", 2) == "%(n)s commentaires"


def test_language_switcher_posts_to_set_language_and_comes_back(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in page
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": article.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    french = client.get(article.get_absolute_url()).content.decode()
    assert '<html lang="fr">' in french and "Aller au contenu" in french
    # the article text keeps its own language whatever the interface's
    assert f'<div class="article__body" lang="{article.language}">' in french
