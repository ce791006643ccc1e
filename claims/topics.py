"""The keyword lines of a topic (Topic.keywords), read the same way by the suggester that
matches them (editorial.suggestion) and by the admin that validates them.

One line per keyword or phrase:

- a plain word matches on its stem: a word of five letters or fewer as itself or its plural,
  a longer one as a prefix once its ending is cut (`réacteur` matches "réacteurs");
- a word written with a capital (a name: `Engie`, `TenneT`, `Fortum`) matches only itself and
  its plural, whatever the case in the text, and a word all in capitals (an acronym: `PUE`,
  `SMR`, `US`) only itself in capitals (so `US` never matches "us", nor `PUE` "pue");
- a phrase in double quotes (`"battery"`, `"record temperature"`) matches each of its words
  whole (with a plural), never as a prefix;
- `except: <phrase>`: the topic's keywords do not count inside that phrase (`gaz` tags energy,
  but not inside `except: gaz à effet de serre`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EXCEPT = re.compile(r"^\s*except\s*:\s*(.*)$", re.IGNORECASE)
QUOTED = re.compile(r'^"(.*)"$')
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class KeywordLines:
    keywords: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    # (line number, what is wrong with it; 0: the topic as a whole)
    problems: tuple[tuple[int, Promise], ...] = field(default=())


def read_keyword_lines(text: str) -> KeywordLines:
    """The keywords and `except:` phrases of a topic's text, and the lines that are neither
    (empty `except:`, a line without a letter or digit, an unclosed quote)."""
    keywords: list[str] = []
    exceptions: list[str] = []
    problems: list[tuple[int, Promise]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        target = keywords
        match = EXCEPT.match(line)
        if match:
            target, line = exceptions, match.group(1).strip()
            if not line:
                problems.append((number, _("an 'except:' line needs a phrase after the colon")))
                continue
        if line.count('"') and not QUOTED.match(line):
            problems.append((number, _("put the whole phrase in double quotes, or none of it")))
            continue
        if not _LETTER.search(line) and not any(ch.isdigit() for ch in line):
            problems.append((number, _("a keyword needs at least one letter or digit")))
            continue
        target.append(line)
    if exceptions and not keywords:
        problems.append((0, _("only 'except:' lines: this topic would never tag anything")))
    return KeywordLines(tuple(keywords), tuple(exceptions), tuple(problems))
