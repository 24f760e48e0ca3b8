"""Fixed vocabularies shared by area packs, pages and (later) referrals.

Packs refer to these keys; the site shows them through gettext, so every
area gets the same labels in every language.
"""
from flask_babel import lazy_gettext as _l

# The five strands monitored nationally, in the order the site lists them.
CHARACTERISTICS = {
    "race": _l("Race, ethnicity or nationality"),
    "religion": _l("Religion or belief"),
    "sexual_orientation": _l("Sexual orientation"),
    "disability": _l("Disability"),
    "transgender": _l("Transgender identity"),
}

SERVICES = {
    "emotional_support": _l("Emotional support"),
    "practical_help": _l("Practical help"),
    "advocacy": _l("Someone to speak up for you (advocacy)"),
    "justice_process": _l("Help through the police and court process"),
    "restorative_justice": _l("Restorative justice"),
    "information": _l("Information and advice"),
    "reporting": _l("Reporting on your behalf"),
}

PLACE_KINDS = {
    "reporting_centre": _l("Third-party reporting centre"),
    "safe_space": _l("Safe Space"),
}
