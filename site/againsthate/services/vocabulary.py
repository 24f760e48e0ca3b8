"""Fixed vocabularies shared by area packs, pages and (later) referrals.

Packs refer to these keys; the site shows them through gettext, so every
area gets the same labels in every language.
"""

from flask_babel import lazy_gettext as _l

# The five strands monitored nationally, in the order the site lists them.
# Who fills in the referral form (its first question), for routing and the statistics.
FILLED_IN_BY = ("self", "helper", "witness", "professional")
# The same, as staff read a routing rule by it ("filled in by a witness").
FILLED_IN_BY_STAFF = {
    "self": _l("the person it happened to"),
    "helper": _l("someone helping them"),
    "witness": _l("a witness"),
    "professional": _l("a professional"),
}

# A pack's opening hours day by day are keyed by these, in the week's order.
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

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

# What the person thinks the hate was about: the five strands, plus two honest answers.
ABOUT = {
    **CHARACTERISTICS,
    "other": _l("Something else"),
    "not_sure": _l("I'm not sure"),
}

# Asked only when religion or belief is chosen, so a pack can route, for example,
# anti-Muslim hate to a specialist service. Always optional.
RELIGIONS = {
    "muslim": _l("Muslim"),
    "jewish": _l("Jewish"),
    "sikh": _l("Sikh"),
    "hindu": _l("Hindu"),
    "christian": _l("Christian"),
    "buddhist": _l("Buddhist"),
    "other": _l("Another religion or belief"),
    "not_say": _l("I'd rather not say"),
}

# The help a person can ask for (referral question 6).
HELP = {
    "emotional_support": _l("Emotional support"),
    "practical_help": _l("Practical help"),
    "justice_process": _l("Help through the police and court process"),
    "restorative_justice": _l("Restorative justice"),
    "information": _l("Information and advice"),
    "not_sure": _l("I'm not sure"),
}

# How a person heard of the service (the last question): offered when the area pack lists
# no channels of its own (its `[[heard]]` tables). "other" ("somewhere else", with a box
# to say where) and "" (not said) are always counted besides.
HEARD = {
    "bus": _l("An advert on a bus"),
    "poster": _l("A poster or leaflet"),
    "social_media": _l("Social media"),
    "police": _l("The police"),
    "school": _l("A school or college"),
    "friend": _l("A friend or family member"),
    "event": _l("An event"),
    "search": _l("An internet search"),
}
HEARD_OTHER = "other"
HEARD_OTHER_LABEL = _l("Somewhere else")

# Portal: who a member of staff is.
ROLES = {
    "caseworker": _l("Caseworker"),
    "manager": _l("Manager"),
    "admin": _l("Administrator"),
}

# Portal: where a referral has got to. "closed" always has an outcome.
STATUSES = {
    "new": _l("New"),
    "contacted": _l("Contacted"),
    "in_support": _l("In support"),
    "closed": _l("Closed"),
}

OUTCOMES = {
    "supported": _l("Support given"),
    "declined": _l("Support declined"),
    "no_contact": _l("Could not make contact"),
    "referred_elsewhere": _l("Referred to another service"),
    "anonymous": _l("Anonymous: no contact possible"),
    "duplicate": _l("Duplicate referral"),
}


# Audit actions in words. An action not listed (a newer part of the portal) shows its code.
AUDIT_ACTIONS = {
    "signed_in": _l("Signed in"),
    "signed_out": _l("Signed out"),
    "account_locked": _l("Account locked after wrong attempts"),
    "password_changed": _l("Password changed"),
    "password_reset_requested": _l("Password reset asked for"),
    "password_reset": _l("Password reset"),
    "recovery_codes_replaced": _l("New recovery codes made"),
    "staff_invited": _l("Staff invited"),
    "staff_activated": _l("Account set up"),
    "staff_removed": _l("Staff access removed"),
    "staff_invite_held": _l("Invitation held for a manager's approval"),
    "staff_approved": _l("Invitation approved by a manager"),
    "staff_declined": _l("Invitation declined by a manager"),
    "staff_invited_without_approval": _l(
        "Invited without a manager's approval (the organisation had none)"
    ),
    "news_created": _l("News story added"),
    "news_updated": _l("News story changed"),
    "news_deleted": _l("News story deleted"),
    "event_created": _l("Event added"),
    "event_updated": _l("Event changed"),
    "event_deleted": _l("Event deleted"),
    "referral_viewed": _l("Referral opened"),
    "referral_viewed_again": _l("Referral opened again in the same visit"),
    "referrals_listed": _l("Referral list seen, with names"),
    "referrals_listed_again": _l("Referral list seen again in the same visit"),
    "referral_status_changed": _l("Referral status changed"),
    "referral_note_added": _l("Note added to a referral"),
    "referral_contact_logged": _l("Contact attempt recorded"),
    "referral_contact_refused": _l("Contact attempt stopped: against what the person asked"),
    "referral_wishes_changed": _l("Contact wishes changed: the person now says"),
    "referral_passed_on": _l("Referral passed to another organisation"),
    "referral_pass_accepted": _l("Referral passed on, accepted by the receiver"),
    "referral_pass_returned": _l("Referral passed on, returned by the receiver"),
    "referral_assigned": _l("Changed who has a referral"),
    "referral_tags_changed": _l("Tags of a referral changed"),
    "referrals_exported": _l("Referrals exported"),
    "referral_erased": _l("Referral content erased on request"),
    "referral_purged": _l("Referral content deleted after the retention period"),
}

# When it is safe to call or email someone (the referral form's contact-safety page, and the
# portal's wishes): services/contact_safety.PERIODS holds the hours; "any" is any time.
SAFE_TIMES = {
    "weekday_mornings": _l("Weekday mornings, 9am–12pm"),
    "weekday_afternoons": _l("Weekday afternoons, 12pm–5pm"),
    "weekday_evenings": _l("Weekday evenings, 5pm–8pm"),
    "weekends": _l("Weekends, 9am–8pm"),
    "any": _l("Any time"),
}
