"""CSV for series observations, and JSON Lines for the bulk export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer


class ObservationsCSVRenderer(BaseRenderer):
    """Renders {"series": {...}, "observations": [...]} as one CSV row per observation.

    Every row carries the unit and attribution, so a downloaded file stays self-describing.
    Errors (a dict without observations) come out as a one-row CSV of the error shape.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    columns = ("period", "value", "unit", "series_id", "series", "attribution", "license")

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if isinstance(data, dict) and "observations" in data:
            series = data["series"]
            writer.writerow(self.columns)
            for row in data["observations"]:
                writer.writerow(
                    [
                        row["period"],
                        row["value"],
                        series["unit"],
                        series["id"],
                        series["title"],
                        series["attribution"],
                        series["license"],
                    ]
                )
        elif isinstance(data, dict):
            writer.writerow(list(data.keys()))
            writer.writerow([str(v) for v in data.values()])
        return out.getvalue().encode(self.charset)


class JSONLinesRenderer(BaseRenderer):
    """Content negotiation for the streamed export; an error body renders as one line."""

    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return (json.dumps(data, ensure_ascii=False, default=str) + "\n").encode(self.charset)
