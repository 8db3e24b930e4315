"""The statements of a paragraph as N-Quads lines: one writer per statement type, called by
:meth:`portlod.build.Builder.statement` with the builder, the statement, the source key, the
passage (``p3``, ``derived-p3-p4``) and the keys of the regions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import records as r
from ._nquads import lit

if TYPE_CHECKING:
    from .build import Builder

__all__ = ["WRITERS"]


def _participants(b: Builder, agreement: str, items: tuple[r.Participant, ...], prop: str) -> None:
    base = f"{agreement[1:-1]}/{'signatory' if prop == 'signatory' else 'attendee'}/"
    for p in items:
        node = b.ref(base + (p.person or f"for-{p.on_behalf_of}"))
        b.add(agreement, prop, node)
        b.typed(node, "Signatory" if prop == "signatory" else ("Witness" if p.witness else "Attendance"))
        if p.person:
            b.add(node, "agent", b.node("person", p.person))
        if p.role:
            b.add(node, "roleAsPrinted", lit(p.role))
        role = b.role_concept(p.role, p.normalised_role)
        if role:
            b.add(node, "role", b.ref(b.roles.iri(role)))
        if p.on_behalf_of:
            b.add(node, "onBehalfOf", b.node("org", p.on_behalf_of))
        if p.person and p.on_behalf_of and p.role:
            b.add(node, "heldRole", b.membership(p.person, p.on_behalf_of, p.role, p.normalised_role))


def agreement(b: Builder, s: r.AgreementStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("agreement", s.key)
    b.typed(node, s.type)
    b.label(node, s.name)
    for party in s.parties:
        b.add(node, "party", b.party(party))
    b.date(node, "signedOn", s.signed)
    b.add(node, "signedAt", b.place(s.signed_at, None))
    if s.during:
        b.add(node, "signedDuring", b.node("event", s.during))
    _participants(b, node, s.signatories, "signatory")
    _participants(b, node, s.attendees, "attendee")
    b.theme_list(node, s.themes)
    for item in s.scope:
        b.text(node, "scope", item)
    b.text(node, "purpose", s.purpose)
    if s.status:
        b.add(node, "status", b.pl(s.status))
    for prop, keys, kind in (("establishes", s.establishes, "initiative"), ("renews", s.renews, "agreement"),
                             ("extends", s.extends, "agreement"), ("supersedes", s.supersedes, "agreement"),
                             ("precedes", s.precedes, "agreement"), ("formalizes", s.formalizes, "relationship"),
                             ("alternativeAccountOf", s.alternative_account_of, "agreement")):
        for key in keys:
            b.add(node, prop, b.node(kind, key))
    b.note(node, s.note)


def corridor(b: Builder, s: r.CorridorStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("initiative", s.key)
    b.typed(node, s.type)
    b.label(node, s.name)
    for ref in s.endpoints:
        if ref.kind == "cluster" and ref.id in regions:
            ref = r.PlaceRef("region", ref.id, ref.name)
        b.add(node, "endpoint", b.node(ref.kind, ref.id) if ref.kind in ("cluster", "region")
                 else b.place(ref))
    for org, role in s.participants:
        p = b.ref(f"{node[1:-1]}/participant/{org}")
        b.add(node, "participant", p)
        b.typed(p, "CorridorParticipation")
        b.add(p, "agent", b.node("org", org))
        b.add(p, "participantRole", b.pl(role))
    for fuel in s.fuels:
        b.add(node, "fuel", b.concept(b.fuels, fuel))
    if s.segment:
        b.add(node, "tradeSegment", b.pl(s.segment))
    for aim in s.aims:
        b.text(node, "aim", aim)
    b.theme_list(node, s.themes)
    for st in s.status:
        a = b.ref(f"{node[1:-1]}/status/{source_key}-{passage}-{b.kebab(st.status)}")
        b.add(node, "statusAssertion", a)
        b.typed(a, "StatusAssertion")
        b.add(a, "status", b.pl(st.status))
        b.date(a, "asOf", st.as_of)
    b.date(node, "plannedStart", s.planned_start)
    for key in s.established_by:
        b.add(node, "establishedBy", b.node("agreement", key))
    for key in s.alternative_account_of:
        b.add(node, "alternativeAccountOf", b.node("initiative", key))
    b.note(node, s.note)


def relationship(b: Builder, s: r.RelationshipStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("relationship", s.key)
    b.typed(node, "Relationship")
    b.label(node, s.name)
    for party in s.parties:
        b.add(node, "party", b.party(party))
    b.date(node, "startDate", s.since)
    b.note(node, s.note)


def role(b: Builder, s: r.RoleStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.membership(s.person, s.org, s.role, s.normalised_role)
    b.date(node, "attestedOn", s.as_of)
    b.date(node, "startDate", s.start, printed=False)
    b.date(node, "endDate", s.end, printed=False)


def event(b: Builder, s: r.EventStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("event", s.key)
    b.typed(node, s.type)
    b.label(node, s.name)
    b.date(node, "startDate", s.start, printed=False)
    b.date(node, "endDate", s.end, printed=False)
    if s.date_as_printed:
        b.add(node, "dateAsPrinted", lit(s.date_as_printed))
    loc = s.location
    if loc is not None and loc.kind == "cluster" and loc.id in regions:
        loc = r.PlaceRef("region", loc.id, loc.name)
    b.add(node, "location", b.node(loc.kind, loc.id) if loc and loc.kind in ("cluster", "region")
             else b.place(loc))
    if s.part_of:
        b.add(node, "partOf", b.node("event", s.part_of))
    if s.organizer:
        b.add(node, "organizer", b.node("org", s.organizer))
    b.text(node, "audience", s.audience)
    b.theme_list(node, s.themes)
    b.note(node, s.note)


def _about(b: Builder, key: str) -> str:
    return b.node(b.about_kinds.get(key, "agreement"), key)


def quotation(b: Builder, s: r.QuotationStatement, source_key: str, passage: str, regions: set[str]) -> None:
    suffix = f"-{s.n}" if s.n > 1 else ""
    node = b.node("quotation", f"{source_key}/{passage}-{s.speaker}{suffix}")
    b.typed(node, "Quotation")
    b.add(node, "speaker", b.node("person", s.speaker))
    if s.role:
        b.add(node, "heldRole", b.membership(s.speaker, s.role.org, s.role.role, s.role.normalised_role))
    b.text(node, "excerpt", s.excerpt)
    b.text(node, "summary", s.summary)
    for key in s.about:
        b.add(node, "about", _about(b, key))
    b.add(node, "statedIn", b.passage)


def image(b: Builder, s: r.ImageStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("image", s.key)
    b.typed(node, "Image")
    for key in s.depicts:
        b.add(node, "depicts", b.node(b.about_kinds.get(key, "person"), key))
    for key in s.about:
        b.add(node, "about", _about(b, key))
    if s.credit:
        b.add(node, "credit", b.node("org", s.credit))
    b.text(node, "summary", s.summary)
    b.add(node, "statedIn", b.passage)


def port(b: Builder, s: r.PortStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("port", s.code)
    b.text(node, "rdfs:label", s.name)
    if s.country:
        b.add(node, "country", b.node("country", s.country))
    if s.subdivision:
        b.add(node, "subdivision", lit(s.subdivision))
    b.position(node, s.position, source_key)


def organization(b: Builder, s: r.OrganizationStatement, source_key: str, passage: str, regions: set[str]) -> None:
    node = b.node("org", s.key)
    b.text(node, "rdfs:label", s.name)
    if s.country:
        b.add(node, "country", b.node("country", s.country))
    b.note(node, s.note)


#: statement type → its writer
WRITERS: dict[type, Callable[..., None]] = {
    r.AgreementStatement: agreement, r.CorridorStatement: corridor, r.RelationshipStatement: relationship,
    r.RoleStatement: role, r.EventStatement: event, r.QuotationStatement: quotation, r.ImageStatement: image,
    r.PortStatement: port, r.OrganizationStatement: organization,
}
