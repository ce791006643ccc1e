from __future__ import annotations

import logging

from core.logging import TextFormatter


def test_text_log_lines_carry_the_structured_fields():
    formatter = TextFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("assay.request", logging.INFO, __file__, 1, "request", None, None)
    record.method, record.path, record.status = "GET", "/articles/x/", 200
    assert formatter.format(record) == "INFO request method=GET path=/articles/x/ status=200"


def test_text_log_line_without_extras_is_unchanged():
    formatter = TextFormatter("%(levelname)s %(message)s")
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "plain %s", ("text",), None)
    assert formatter.format(record) == "WARNING plain text"
