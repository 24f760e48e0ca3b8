"""Where the repository's top-level folders are.

Templates, static files, translations and area packs sit at the repository root
(next to site/), not inside the package, so the app is given absolute paths.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
TRANSLATIONS = ROOT / "translations"
AREAS = ROOT / "areas"
INSTANCE = ROOT / "instance"
