"""`bench.sampled` charges each py-spy sample to the innermost frame that names a part."""

from __future__ import annotations

from pathlib import Path

from bench.sampled import part_of, sampled_parts

HANDLER = "WSGIHandler.__call__ (django/core/handlers/wsgi.py:124)"
VIEW = "step (wizard/sellers/views/steps.py:120)"
RENDER = "NodeList.render (django/template/base.py:1107)"
ESCAPE = "escape (html/__init__.py:19)"  # the standard library's: no part of its own
LIMIT = "hit (wizard/web/limits.py:190)"
REDIS = "Redis.execute_command (redis/client.py:559)"


def test_a_sample_counts_for_the_innermost_frame_that_names_a_part() -> None:
    assert part_of([HANDLER, VIEW, RENDER]) == "templates and forms (incl. crispy-forms)"
    # The standard library's frames count for whoever called them.
    assert part_of([HANDLER, VIEW, RENDER, ESCAPE]) == "templates and forms (incl. crispy-forms)"
    assert part_of([HANDLER, VIEW, LIMIT, REDIS]) == "rate limit (cache)"
    assert part_of([HANDLER, VIEW]) == "our views and models"
    assert part_of([HANDLER]) == "Django's handler (the middleware chain)"
    assert part_of([ESCAPE]) == "other (imports, interpreter)"


def test_raw_samples_are_summed_per_part(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(f"{HANDLER};{VIEW};{RENDER} 7\n{HANDLER};{VIEW} 2\n\n")
    (tmp_path / "two.txt").write_text(f"{HANDLER};{VIEW};{LIMIT};{REDIS} 3\n")
    counts = sampled_parts([tmp_path / "one.txt", tmp_path / "two.txt"])
    assert counts == {
        "templates and forms (incl. crispy-forms)": 7,
        "our views and models": 2,
        "rate limit (cache)": 3,
    }
