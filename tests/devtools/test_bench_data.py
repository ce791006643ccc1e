"""The benchmark's bulk-built thread is a valid thread: the same shape the service writes."""

from __future__ import annotations

import pytest

from devtools.bench_data import Scale, build
from discussions.models import Comment
from discussions.services import comment_create


@pytest.mark.django_db
def test_bench_thread_has_a_chain_of_the_requested_depth_and_valid_paths() -> None:
    scale = Scale.small()
    data = build(scale, label="t")
    comments = list(Comment.objects.filter(article=data.article))
    assert len(comments) == scale.comments
    deepest = Comment.objects.get(pk=data.deepest_comment_id)
    assert deepest.depth == scale.chain_depth
    by_id = {c.pk: c for c in comments}
    for comment in comments:
        if comment.parent_id is None:
            assert (comment.depth, comment.root_id, comment.path) == (0, None, "")
        else:
            parent = by_id[comment.parent_id]
            assert comment.depth == parent.depth + 1
            assert comment.root_id == (parent.root_id or parent.pk)
            assert comment.path.startswith(parent.path)
    for comment in comments:
        assert comment.child_count == sum(1 for c in comments if c.parent_id == comment.pk)


@pytest.mark.django_db
def test_replying_in_the_bench_thread_through_the_service_gets_a_fresh_path(alice) -> None:
    data = build(Scale.small(), label="t")
    parent = Comment.objects.get(pk=data.deepest_comment_id)
    sibling = comment_create(article=data.article, parent=parent, author=alice, body="first")
    second = comment_create(article=data.article, parent=parent, author=alice, body="second")
    assert sibling.path != second.path
    assert second.depth == parent.depth + 1
    assert second.pk > data.deepest_comment_id


@pytest.mark.django_db
def test_bench_tables_have_the_requested_sizes() -> None:
    scale = Scale.small()
    data = build(scale, label="t")
    assert data.counts["claims"] == scale.claims
    assert data.counts["observations"] == scale.observations
    assert data.counts["evidence"] == scale.claims * scale.evidence_per_claim
    assert data.claim.tags.count() == 3
