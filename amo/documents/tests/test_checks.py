"""`make demo` says which system package the PDFs lack before loading anything (issue 13, item 15)."""

import subprocess
from typing import Any

from amo.documents import checks


def test_nothing_is_said_when_the_libraries_and_fonts_are_there() -> None:
    assert checks.documents_check() == []


def test_a_missing_arabic_font_is_named_with_the_package_that_installs_it(monkeypatch: Any) -> None:
    def fc_list(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(args, 0, stdout="DejaVu Sans\nNoto Sans\n")

    monkeypatch.setattr(subprocess, "run", fc_list)
    [warning] = checks.documents_check()
    assert warning.id == "documents.W001" and warning.hint == "sudo apt-get install fonts-noto-core"
