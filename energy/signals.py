"""What the energy app tells the rest of Assay, without knowing who listens.

`series_data_changed` is sent inside the transaction that wrote new or changed observations of
a series (a refresh, a snapshot load), with `series_id`. The claims app listens to re-check the
data assertions of the claims linked to that series; energy itself never imports claims.
"""

from __future__ import annotations

from django.dispatch import Signal

series_data_changed = Signal()
