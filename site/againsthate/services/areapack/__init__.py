"""Area packs: every local fact (organisations, numbers, places, areas) as data.

model.py is the pack as the site reads it (frozen dataclasses, nothing that reads a file);
reader.py reads a pack file into it, one reader per section, and names the file, the key
and the problem when something is wrong. The rest of the site imports from here.
"""

from .model import (
    AreaPack,
    Event,
    Helpline,
    Legal,
    Logo,
    NewsItem,
    Organisation,
    Place,
    Police,
    RoutingRule,
    Text,
    nearest_places,
)
from .reader import AreaPackError, contrast_with_white, load

__all__ = [
    "AreaPack",
    "AreaPackError",
    "Event",
    "Helpline",
    "Legal",
    "Logo",
    "NewsItem",
    "Organisation",
    "Place",
    "Police",
    "RoutingRule",
    "Text",
    "contrast_with_white",
    "load",
    "nearest_places",
]
