"""Every public page the site has, for tests that must visit them all: the package's
examples module holds the list, as the benchmark (bench/) uses it too."""

from againsthate.examples import NOT_PAGES, STAFF_BLUEPRINTS, in_language, public_paths

__all__ = ["NOT_PAGES", "STAFF_BLUEPRINTS", "in_language", "public_paths"]
