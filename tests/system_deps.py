"""Debian packages some tests need. `make test` installs them when it runs as root on Debian;
anywhere else a test that needs a missing one fails with the package to install, never skips.
"""

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "install it with `make system-deps` as root, or `apt-get install -y {packages}`"


@cache
def missing_pdf_packages() -> tuple[str, ...]:
    """Debian packages missing for PDF reports: Pango for WeasyPrint, Noto for zh/ar text."""
    missing = []
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError:
        missing += ["libpango-1.0-0", "libpangoft2-1.0-0"]
    fonts = _font_families()
    if "Noto Sans CJK" not in fonts:
        missing.append("fonts-noto-cjk")
    if "Noto Sans Arabic" not in fonts and "Noto Naskh Arabic" not in fonts:
        missing.append("fonts-noto-core")
    return tuple(missing)


def _font_families() -> str:
    """Every installed font family, one per line (fontconfig's fc-list)."""
    if shutil.which("fc-list") is None:
        return ""
    result = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return result.stdout


def require_pdf():
    """Fail the calling test, naming the packages, when PDF rendering cannot work here."""
    missing = missing_pdf_packages()
    if missing:
        packages = " ".join(missing)
        pytest.fail(
            f"PDF rendering needs the Debian packages {packages}: "
            + INSTALL_HINT.format(packages=packages),
            pytrace=False,
        )


def require_chromium():
    """Fail the calling test when Debian's Chromium is missing (a browser is never downloaded)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The real-browser tests need Debian's Chromium at {CHROMIUM}: "
            + INSTALL_HINT.format(packages="chromium"),
            pytrace=False,
        )
