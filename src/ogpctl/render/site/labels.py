"""Words for the vocabularies' values, marked for translation (`N_`: extracted by Babel,
translated when the page is rendered)."""

from __future__ import annotations


def N_(text: str) -> str:  # gettext's name for: mark for translation only
    return text


LABELS = {
    # themes
    "transparency-integrity-anticorruption": N_("Transparency, integrity and anti-corruption"),
    "climate-sustainable-development": N_("Climate and sustainable development"),
    "digital-commons": N_("Digital commons"),
    # member types
    "national-government": N_("National governments"),
    "subnational-government": N_("Subnational governments"),
    "civil-society": N_("Civil society organisations"),
    "other": N_("Other bodies"),
    # action statuses
    "proposed": N_("Proposed"),
    "active": N_("Active"),
    "completed": N_("Completed"),
    "discontinued": N_("Discontinued"),
    # the IRM completion scale
    "not-started": N_("Not started"),
    "limited": N_("Limited"),
    "substantial": N_("Substantial"),
    "complete": N_("Complete"),
    "withdrawn": N_("Withdrawn"),
    # roles
    "participant": N_("Participant"),
    "government-leader": N_("Government leader"),
    "civil-society-leader": N_("Civil society leader"),
}
ONE = {  # a member type, said of one member
    "national-government": N_("National government"),
    "subnational-government": N_("Subnational government"),
    "civil-society": N_("Civil society organisation"),
    "other": N_("Other body"),
}
SCALE = ["not-started", "limited", "substantial", "complete"]  # withdrawn is off the scale
