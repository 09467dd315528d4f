"""Screenshots of the web UI for the docs: the browser tests, run with docs/screenshots as their folder.

    python bench/screenshots.py [--out docs/screenshots]

The browser tests (tests/test_web_browser.py) walk the sample corpus in headless chromium: stories,
the main story, a citation opened at its highlighted sentence (the page from its top, and the view as
the browser scrolled it), a search, an entity page, an article whose title holds a script tag. Each
saves a PNG, 1280 pixels wide, at most 2,400 high. They must all pass: a skipped test is an error here.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    env = {**os.environ, "STORYLENS_SCREENSHOTS": str(out), "CI": "1"}  # CI: fail, not skip, without chromium
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_web_browser.py"], cwd=ROOT, env=env)
    if done.returncode:
        for partial in out.glob("*.png"):
            partial.unlink()
        sys.exit(f"the browser tests failed (exit {done.returncode}): no screenshots kept")
    for shot in sorted(out.glob("*.png")):
        print(f"{shot}  {shot.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
