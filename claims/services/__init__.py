"""Every write on claims, evidence and their links to data series: one function per write,
called by every door (pages, admin, API, jobs, commands)."""

from claims.services.claims import (
    UNSET,
    claim_create,
    claim_publish,
    claim_set_verdict,
    claim_update,
    claims_accept,
    claims_reject,
)
from claims.services.evidence import (
    evidence_add,
    evidence_checks_queue,
    evidence_link_check,
)
from claims.services.series_links import (
    assertions_evaluate,
    claim_series_confirm,
    claim_series_reject,
    claims_attach_all_queue,
    claims_attach_queue,
)
from claims.services.series_matching import (
    claim_attach_related_series,
    claims_attach_related_series,
)

__all__ = [
    "UNSET",
    "assertions_evaluate",
    "claim_attach_related_series",
    "claim_create",
    "claim_publish",
    "claim_series_confirm",
    "claim_series_reject",
    "claim_set_verdict",
    "claim_update",
    "claims_accept",
    "claims_attach_all_queue",
    "claims_attach_queue",
    "claims_attach_related_series",
    "claims_reject",
    "evidence_add",
    "evidence_checks_queue",
    "evidence_link_check",
]
