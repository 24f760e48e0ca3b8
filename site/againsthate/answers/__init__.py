"""A referral's answers: the questions (forms), the journey through them (steps) and
their presentation in words (summary). Not a blueprint: the referral journey asks them,
the check page and the portal show them, so they live here, shared."""
