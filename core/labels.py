"""Labels Django derives from names, put through the translation catalogue.

A field declared without verbose_name is labelled from its name ("created_at" → "created at"),
a model without Meta.verbose_name from its class name, an app without verbose_name from its
label: plain strings that the admin shows untranslated in French. Declaring each one in the
models would change every model's migration state for a label; instead, once the models are
loaded (CoreConfig.ready), `labels_translate` wraps those derived labels in gettext_lazy, which
touches neither the database nor the migrations (they read the declared `_verbose_name` and
Meta options). DERIVED_LABELS lists the msgids so makemessages extracts them; a test checks the
list covers every derived label of our apps and that each has its French.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop

OUR_APPS = (
    "core",
    "articles",
    "claims",
    "discussions",
    "energy",
    "editorial",
    "reading",
    "notifications",
    "integrations",
)


def _plain(label: object) -> bool:
    return isinstance(label, str) and not isinstance(label, Promise)


def _derived() -> Iterator[tuple[object, str, str]]:
    """(object, attribute, label) of every derived label of our apps, models and fields."""
    for config in apps.get_app_configs():
        if config.label not in OUR_APPS:
            continue
        if _plain(config.verbose_name):
            yield config, "verbose_name", str(config.verbose_name)
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if _plain(meta.verbose_name):
                yield meta, "verbose_name", str(meta.verbose_name)
            if _plain(meta.verbose_name_plural):
                yield meta, "verbose_name_plural", str(meta.verbose_name_plural)
            elif "verbose_name_plural" not in meta.original_attrs and _plain(meta.verbose_name):
                # Options made it format_lazy("{}s", name) from the plain name
                yield meta, "verbose_name_plural", f"{meta.verbose_name}s"
            for field in meta.get_fields(include_hidden=False):
                label = getattr(field, "verbose_name", None)
                if getattr(field, "concrete", False) and _plain(label):
                    yield field, "verbose_name", str(label)


# the labels labels_translate wrapped, as they were (for the test that keeps DERIVED_LABELS whole)
WRAPPED: set[str] = set()


def labels_translate() -> None:
    """Wrap our apps' plain labels in gettext_lazy (see the module's docstring)."""
    for owner, attribute, label in list(_derived()):
        setattr(owner, attribute, gettext_lazy(label))
        WRAPPED.add(label)


# every label labels_translate wraps, for makemessages (tests/core/test_labels.py keeps it whole)
DERIVED_LABELS = (
    gettext_noop("Articles"),
    gettext_noop("Claims"),
    gettext_noop("Core"),
    gettext_noop("Discussions"),
    gettext_noop("ID"),
    gettext_noop("Integrations"),
    gettext_noop("action"),
    gettext_noop("actor"),
    gettext_noop("added by"),
    gettext_noop("archived at"),
    gettext_noop("archived sha256"),
    gettext_noop("archived text"),
    gettext_noop("args"),
    gettext_noop("article"),
    gettext_noop("article import"),
    gettext_noop("article imports"),
    gettext_noop("articles"),
    gettext_noop("assertion checked at"),
    gettext_noop("assertion drifted"),
    gettext_noop("assertion operator"),
    gettext_noop("assertion period end"),
    gettext_noop("assertion period start"),
    gettext_noop("assertion result"),
    gettext_noop("assertion result change"),
    gettext_noop("assertion result changes"),
    gettext_noop("assertion threshold"),
    gettext_noop("assertion value"),
    gettext_noop("assignee"),
    gettext_noop("attempt count"),
    gettext_noop("attempts"),
    gettext_noop("author"),
    gettext_noop("body html"),
    gettext_noop("changed at"),
    gettext_noop("channel"),
    gettext_noop("check error"),
    gettext_noop("check request"),
    gettext_noop("check requester"),
    gettext_noop("check requesters"),
    gettext_noop("check requests"),
    gettext_noop("check started at"),
    gettext_noop("check status"),
    gettext_noop("check task id"),
    gettext_noop("checked at"),
    gettext_noop("child count"),
    gettext_noop("claim"),
    gettext_noop("claim embedding"),
    gettext_noop("claim embeddings"),
    gettext_noop("claim families"),
    gettext_noop("claim family"),
    gettext_noop("claim index version"),
    gettext_noop("claim index versions"),
    gettext_noop("claim ↔ series link"),
    gettext_noop("claim ↔ series links"),
    gettext_noop("claims"),
    gettext_noop("comment"),
    gettext_noop("comments"),
    gettext_noop("confirmed at"),
    gettext_noop("confirmed by"),
    gettext_noop("content version"),
    gettext_noop("content versions"),
    gettext_noop("created at"),
    gettext_noop("created by"),
    gettext_noop("data through"),
    gettext_noop("delivered at"),
    gettext_noop("delivery"),
    gettext_noop("depth"),
    gettext_noop("details"),
    gettext_noop("duration ms"),
    gettext_noop("edited at"),
    gettext_noop("error"),
    gettext_noop("event"),
    gettext_noop("event id"),
    gettext_noop("evidence"),
    gettext_noop("external like count"),
    gettext_noop("external posted at"),
    gettext_noop("family"),
    gettext_noop("finished at"),
    gettext_noop("flag"),
    gettext_noop("flags"),
    gettext_noop("follow"),
    gettext_noop("follows"),
    gettext_noop("history change reason"),
    gettext_noop("history date"),
    gettext_noop("history id"),
    gettext_noop("history type"),
    gettext_noop("history user"),
    gettext_noop("http status"),
    gettext_noop("import fingerprint"),
    gettext_noop("import key"),
    gettext_noop("index seq"),
    gettext_noop("key"),
    gettext_noop("key hash"),
    gettext_noop("kind"),
    gettext_noop("kwargs"),
    gettext_noop("language"),
    gettext_noop("last attempt at"),
    gettext_noop("last checked at"),
    gettext_noop("last error"),
    gettext_noop("last immediate at"),
    gettext_noop("last status code"),
    gettext_noop("like count"),
    gettext_noop("link"),
    gettext_noop("mail"),
    gettext_noop("mailbox"),
    gettext_noop("mailboxs"),
    gettext_noop("mailed at"),
    gettext_noop("match reasons"),
    gettext_noop("match score"),
    gettext_noop("model version"),
    gettext_noop("moderation action"),
    gettext_noop("moderation actions"),
    gettext_noop("moderator"),
    gettext_noop("next attempt at"),
    gettext_noop("note"),
    gettext_noop("notification"),
    gettext_noop("notifications"),
    gettext_noop("number"),
    gettext_noop("object key"),
    gettext_noop("observation"),
    gettext_noop("observations"),
    gettext_noop("ok"),
    gettext_noop("origin"),
    gettext_noop("other"),
    gettext_noop("outbox job"),
    gettext_noop("outbox jobs"),
    gettext_noop("owner"),
    gettext_noop("parent"),
    gettext_noop("path"),
    gettext_noop("payload"),
    gettext_noop("period"),
    gettext_noop("preference"),
    gettext_noop("preferences"),
    gettext_noop("prefix"),
    gettext_noop("previous status"),
    gettext_noop("published at"),
    gettext_noop("quote vector"),
    gettext_noop("reaction"),
    gettext_noop("reactions"),
    gettext_noop("read at"),
    gettext_noop("reason"),
    gettext_noop("recipient"),
    gettext_noop("request"),
    gettext_noop("request id"),
    gettext_noop("requested by"),
    gettext_noop("resolved"),
    gettext_noop("resolved at"),
    gettext_noop("resolved by"),
    gettext_noop("response excerpt"),
    gettext_noop("result"),
    gettext_noop("retries"),
    gettext_noop("reviewed at"),
    gettext_noop("reviewed by"),
    gettext_noop("reviewer"),
    gettext_noop("root"),
    gettext_noop("same-claim link"),
    gettext_noop("same-claim links"),
    gettext_noop("score"),
    gettext_noop("secret"),
    gettext_noop("series"),
    gettext_noop("series refresh job"),
    gettext_noop("series refresh jobs"),
    gettext_noop("stance"),
    gettext_noop("started at"),
    gettext_noop("statement vector"),
    gettext_noop("status"),
    gettext_noop("status code"),
    gettext_noop("subscription"),
    gettext_noop("tag"),
    gettext_noop("target"),
    gettext_noop("task id"),
    gettext_noop("task name"),
    gettext_noop("text hash"),
    gettext_noop("topic"),
    gettext_noop("topics"),
    gettext_noop("updated at"),
    gettext_noop("url"),
    gettext_noop("user"),
    gettext_noop("value"),
    gettext_noop("vector"),
    gettext_noop("version"),
    gettext_noop("webhook attempt"),
    gettext_noop("webhook attempts"),
    gettext_noop("webhook delivery"),
)
