"""The four record kinds as strict pydantic models, and the vocabularies they use.

A record never repeats its id: the path is the identity (see `model/keys.py`). Text meant for
people is localised (`{lang: text}`); a plain string is accepted as shorthand for the
dataset's default language, passed in the validation context as `default_language`.
ISO codes are checked against pycountry's tables, loaded once on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ogpctl.model.isocodes import country_codes, language_codes, subdivision_codes, suggestion
from ogpctl.model.vocabulary import (  # re-exported: the records' vocabularies
    GOVERNMENTS as GOVERNMENTS,
    ActionStatus as ActionStatus,
    Completion as Completion,
    MemberType as MemberType,
    ResourceType as ResourceType,
    Theme as Theme,
    WorkingGroup as WorkingGroup,
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX = 64
DEFAULT_LANGUAGE = "en"
FieldPath = tuple[str | int, ...]
SHARED_MARKER = "x-ogpctl-shared"  # becomes a $ref to a shared definition in schema.py


def _iso(table: Callable[[], frozenset[str]], what: str, example: str, name: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, str) and value not in table():
            meant = suggestion(value, table(), name)
            hint = f"did you mean {meant!r}?" if meant else f"for example {example!r}"
            raise PydanticCustomError(
                # pydantic fills `{name}` with str(ctx[name]): quote the values here
                "iso_code",
                "{value} is not an {what} code ({hint})",
                {"value": repr(value), "what": what, "hint": hint},
            )
        return value

    return BeforeValidator(check)


LanguageCode = Annotated[
    str,
    _iso(language_codes, "ISO 639-1 language", "en", "languages"),
    WithJsonSchema({SHARED_MARKER: "LanguageCode"}),
]
CountryCode = Annotated[
    str,
    _iso(country_codes, "ISO 3166-1 alpha-2 country", "FR", "countries"),
    WithJsonSchema({SHARED_MARKER: "CountryCode"}),
]
SubdivisionCode = Annotated[
    str,
    _iso(subdivision_codes, "ISO 3166-2 subdivision", "GB-SCT", "subdivisions"),
    WithJsonSchema({"type": "string", "pattern": r"^[A-Z]{2}-[A-Z0-9]{1,3}$"}),
]

# --- Scalar types ---------------------------------------------------------------------

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
_URL_SHAPE = re.compile(r"https?://[^\s/$.?#]\S*")
# not allowed in a URL: valid HTML needs them escaped; control characters would reach
# terminals and commit subjects as they are (spaces, which end a URL, are not allowed either)
_URL_REFUSED = r'"<>\\^`{|}\x00-\x1f\x7f-\x9f'
_NOT_IN_URLS = re.compile(f"[{_URL_REFUSED}]")


def _url_characters(value: Any) -> Any:
    """A URL with a double quote, `<`, `>`, a backslash, `^`, a backtick, `{|}` or a control
    character is refused with the character named (spaces break the pattern): HTML cannot
    link to it as it is."""
    if not isinstance(value, str) or not _URL_SHAPE.fullmatch(value):
        return value  # not a URL at all: the pattern's own message says what one is
    found = _NOT_IN_URLS.search(value)
    if found:
        char = found.group()
        raise PydanticCustomError(
            "url_character",
            "{char} is not allowed in a URL: write it percent-encoded, as {encoded}",
            {"char": repr(char), "encoded": "".join(f"%{b:02X}" for b in char.encode())},
        )
    return value


Url = Annotated[
    str,
    StringConstraints(
        pattern=rf"^https?://[^\s/$.?#{_URL_REFUSED}][^\s{_URL_REFUSED}]*$", max_length=2048
    ),
    BeforeValidator(_url_characters),  # runs first: says which character is wrong
]
GitHubHandle = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:/[A-Za-z0-9._-]+)?$")
]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_text(value: Any) -> Any:
    """Only `YYYY-MM-DD` text (or a date) is a date: no timestamps, no other spellings."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError(
        "date_format", "{value} is not a date; write it as YYYY-MM-DD", {"value": repr(value)}
    )


IsoDate = Annotated[date, BeforeValidator(_date_text)]


def _localised(value: Any, info: ValidationInfo) -> Any:
    if isinstance(value, str):  # shorthand for the dataset's default language
        return {(info.context or {}).get("default_language", DEFAULT_LANGUAGE): value}
    return value


LocalisedText = Annotated[
    dict[LanguageCode, Text],
    BeforeValidator(_localised),
    Field(min_length=1),
    WithJsonSchema({SHARED_MARKER: "LocalisedText"}),
]

# --- Records --------------------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True, validate_default=False)


class Source(Strict):
    """Where a record's facts come from."""

    url: Url = Field(description="Address of the source.")
    title: str | None = Field(default=None, description="What the source is.")
    retrieved: IsoDate | None = Field(default=None, description="Date the source was read.")


class Record(Strict):
    def rule_violations(self) -> list[tuple[FieldPath, str]]:
        """Contradictions between this record's own fields, as (field path, message)."""
        return []


class Member(Record):
    """A national or subnational government, a civil-society organisation, or another body."""

    name: LocalisedText = Field(description="Name of the member.")
    type: MemberType = Field(description="Kind of member.")
    country: CountryCode | None = Field(default=None, description="Country (ISO 3166-1 alpha-2).")
    subdivision: SubdivisionCode | None = Field(
        default=None, description="Subdivision of a subnational government (ISO 3166-2)."
    )
    acronym: Text | None = Field(default=None, description="Acronym of the name.")
    website: Url | None = Field(default=None, description="Website address.")
    ogp_member_since: Annotated[StrictInt, Field(ge=2011, le=2100)] | None = Field(
        default=None, description="Year the government joined OGP."
    )
    maintainers: list[GitHubHandle] = Field(
        default=[], description="GitHub handles allowed to change this member's records."
    )
    formerly: list[Slug] = Field(
        default=[], description="Ids this member had before a rename or a merge."
    )
    sources: list[Source] = Field(default=[], description="Where the member's facts come from.")

    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"type": {"enum": [str(t) for t in sorted(GOVERNMENTS)]}}},
                    "then": {"required": ["country"]},
                },
                {
                    "if": {"properties": {"type": {"const": "subnational-government"}}},
                    "else": {"not": {"required": ["subdivision"]}},
                },
            ]
        }
    )

    def rule_violations(self) -> list[tuple[FieldPath, str]]:
        found: list[tuple[FieldPath, str]] = []
        if self.type in GOVERNMENTS and self.country is None:
            found.append((("type",), f"a {self.type} needs `country` (ISO 3166-1 alpha-2)"))
        if self.subdivision is not None:
            if self.type != MemberType.SUBNATIONAL_GOVERNMENT:
                found.append((("subdivision",), "only a subnational-government has `subdivision`"))
            elif self.country and not self.subdivision.startswith(f"{self.country}-"):
                found.append(
                    (("subdivision",), f"{self.subdivision!r} is not in country {self.country!r}")
                )
        if self.ogp_member_since is not None and self.type not in GOVERNMENTS:
            found.append((("ogp_member_since",), "only governments have `ogp_member_since`"))
        return found


class Leaders(Strict):
    government: Slug | None = Field(
        default=None, description="Member id of the leading government."
    )
    civil_society: Slug | None = Field(
        default=None, description="Member id of the leading civil-society organisation."
    )


class Milestone(Strict):
    id: Slug = Field(description="Id of the milestone within its action.")
    title: LocalisedText = Field(description="What the milestone is.")
    due: IsoDate | None = Field(default=None, description="Date it is due.")


class Resource(Strict):
    title: LocalisedText = Field(description="Title of the resource.")
    url: Url = Field(description="Address of the resource.")
    type: ResourceType = Field(default=ResourceType.OTHER, description="Kind of resource.")


class Action(Record):
    """A collective action of the Paris Declaration (or a later one)."""

    number: Annotated[StrictInt, Field(ge=1)] | None = Field(
        default=None, description="Number in the Paris Declaration."
    )
    title: LocalisedText = Field(description="Title of the action.")
    theme: Theme = Field(description="Theme of the Paris Declaration the action belongs to.")
    summary: LocalisedText | None = Field(default=None, description="What the action is about.")
    status: ActionStatus | None = Field(default=None, description="Where the action stands.")
    launched: IsoDate | None = Field(default=None, description="Date the action was launched.")
    leaders: Leaders | None = Field(default=None, description="Who leads the action.")
    working_group: WorkingGroup | None = Field(
        default=None, description="OGP working group linked to the action."
    )
    standards: list[Slug] = Field(default=[], description="Data standards the action uses.")
    milestones: list[Milestone] = Field(default=[], description="Milestones of the action.")
    resources: list[Resource] = Field(default=[], description="Documents, tools and links.")
    update_every_months: Annotated[StrictInt, Field(ge=1, le=60)] | None = Field(
        default=None, description="Months between progress updates (default: ogpctl.toml, else 6)."
    )
    sources: list[Source] = Field(default=[], description="Where the action's facts come from.")

    def rule_violations(self) -> list[tuple[FieldPath, str]]:
        seen: set[str] = set()
        found: list[tuple[FieldPath, str]] = []
        for index, milestone in enumerate(self.milestones):
            if milestone.id in seen:
                found.append((("milestones", index, "id"), f"milestone {milestone.id!r} twice"))
            seen.add(milestone.id)
        urls: set[str] = set()
        for index, resource in enumerate(self.resources):  # a resource is named by its URL
            if resource.url in urls:
                message = f"resource {resource.url!r} twice: one entry per address"
                found.append((("resources", index, "url"), message))
            urls.add(resource.url)
        return found


class NationalActionPlan(Strict):
    plan: Text = Field(description="National action plan that carries the participation.")
    commitment: Text | None = Field(default=None, description="Commitment in that plan.")
    url: Url | None = Field(default=None, description="Address of the plan or commitment.")


class Participant(Record):
    """One member's participation in one action, and what it pledges."""

    joined: IsoDate = Field(description="Date the member joined the action.")
    contribution: LocalisedText | None = Field(
        default=None, description="What the member pledges to the action."
    )
    national_action_plan: NationalActionPlan | None = Field(
        default=None, description="Where the member's national action plan takes it up."
    )
    left: IsoDate | None = Field(
        default=None, description="Date the member withdrew from the action, if it did."
    )
    sources: list[Source] = Field(default=[], description="Where the participation is recorded.")

    def rule_violations(self) -> list[tuple[FieldPath, str]]:
        if self.left is not None and self.left < self.joined:
            return [(("left",), f"left ({self.left}) is before joined ({self.joined})")]
        return []


class Period(Strict):
    start: IsoDate = Field(description="First day covered.")
    end: IsoDate = Field(description="Last day covered.")


class Update(Record):
    """A progress update, published by a participant on the date in its file name."""

    period: Period | None = Field(default=None, description="Period the update covers.")
    completion: Completion = Field(description="How far the participant's work has come.")
    summary: LocalisedText = Field(description="What was done.")
    milestones: dict[Slug, Completion] = Field(
        default={}, description="Completion of each milestone, by milestone id."
    )
    evidence: list[Url] = Field(default=[], description="Addresses that show the progress.")
    sources: list[Source] = Field(default=[], description="Where the update comes from.")

    def rule_violations(self) -> list[tuple[FieldPath, str]]:
        if self.period and self.period.start > self.period.end:
            return [
                (
                    ("period", "end"),
                    f"period ends ({self.period.end}) before it starts ({self.period.start})",
                )
            ]
        return []
