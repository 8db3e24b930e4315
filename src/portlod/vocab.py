"""portlod's vocabulary as checked namespaces (a misspelt term raises AttributeError) and the
prefixes used everywhere (queries, Turtle export, JSON-LD context).

The ``PL`` class body is generated from ``ontology/portlod.ttl`` by ``scripts/gen_vocab.py``;
``tests/test_vocab.py`` fails when the two declare different terms.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["BASE", "FUEL", "GRAPH", "ID", "PL", "PREFIXES", "ROLE", "THEME", "UNLOCODE"]


class PL(DefinedNamespace):
    """The portlod ontology, ``https://w3id.org/portlod/ontology#``."""

    _NS = Namespace("https://w3id.org/portlod/ontology#")
    _fail = True

    # BEGIN GENERATED TERMS
    Agreed: URIRef  # agreed
    Agreement: URIRef  # agreement
    AgreementStatus: URIRef  # agreement status
    Announced: URIRef  # announced
    Attendance: URIRef  # attendance
    BulkSegment: URIRef  # bulk
    CargoOwner: URIRef  # cargo owner
    Carrier: URIRef  # carrier
    CityCentroid: URIRef  # city centroid
    ContainerSegment: URIRef  # container
    Convener: URIRef  # convener
    CooperationAgreement: URIRef  # cooperation agreement
    CorridorParticipation: URIRef  # corridor participation
    Country: URIRef  # country
    CruiseSegment: URIRef  # cruise
    Declaration: URIRef  # declaration
    DerivedFactGraph: URIRef  # derived fact graph
    Dormant: URIRef  # dormant
    Ended: URIRef  # ended
    EnergySegment: URIRef  # energy trade
    Event: URIRef  # event
    EventSeries: URIRef  # event series
    Expired: URIRef  # expired
    FactGraph: URIRef  # fact graph
    Feasibility: URIRef  # feasibility
    FuelSupplier: URIRef  # fuel supplier
    FuzzyDate: URIRef  # fuzzy date
    GovernmentBody: URIRef  # government body
    GovernmentPartner: URIRef  # government partner
    GreenShippingCorridor: URIRef  # green shipping corridor
    Image: URIRef  # image
    ImplementationPlanning: URIRef  # implementation planning
    InForce: URIRef  # in force
    Initiative: URIRef  # initiative
    InitiativeStatus: URIRef  # initiative status
    KnowledgePartner: URIRef  # knowledge partner
    LetterOfIntent: URIRef  # letter of intent
    Locality: URIRef  # locality
    Membership: URIRef  # membership
    MemorandumOfUnderstanding: URIRef  # memorandum of understanding
    NewsArticle: URIRef  # news article
    Operational: URIRef  # operational
    Organization: URIRef  # organization
    ParticipantRole: URIRef  # participant role
    Participation: URIRef  # participation
    Passage: URIRef  # source passage
    Person: URIRef  # person
    Pilots: URIRef  # pilots
    Place: URIRef  # place
    Port: URIRef  # port
    PortAuthority: URIRef  # port authority
    PortBasin: URIRef  # port basin
    PortCluster: URIRef  # port cluster
    PortOperator: URIRef  # port operator
    PortPartner: URIRef  # port partner
    Position: URIRef  # position
    PositionKind: URIRef  # position kind
    PreFeasibility: URIRef  # pre-feasibility
    PressRelease: URIRef  # press release
    Quotation: URIRef  # quotation
    Region: URIRef  # region
    Registry: URIRef  # registry
    Relationship: URIRef  # relationship
    RoRoSegment: URIRef  # ro-ro
    Signatory: URIRef  # signatory
    Signed: URIRef  # signed
    SigningCeremony: URIRef  # signing ceremony
    SisterPortAgreement: URIRef  # sister port agreement
    Source: URIRef  # source
    StatusAssertion: URIRef  # status assertion
    Terminated: URIRef  # terminated
    TradeAgreement: URIRef  # trade agreement
    TradeMission: URIRef  # trade mission
    TradeSegment: URIRef  # trade segment
    Witness: URIRef  # witness
    about: URIRef  # about
    agent: URIRef  # agent
    aim: URIRef  # aim
    alternativeAccountOf: URIRef  # alternative account of
    asOf: URIRef  # as of
    attendee: URIRef  # attendee
    attestedOn: URIRef  # attested on
    audience: URIRef  # audience
    checksum: URIRef  # checksum
    concernsPort: URIRef  # concerns port
    country: URIRef  # country
    countryCode: URIRef  # country code
    credit: URIRef  # credit
    dateAsPrinted: URIRef  # date as printed
    depicts: URIRef  # depicts
    derivedFrom: URIRef  # derived from
    endDate: URIRef  # end date
    endpoint: URIRef  # endpoint
    establishedBy: URIRef  # established by
    establishes: URIRef  # establishes
    excerpt: URIRef  # excerpt
    extends: URIRef  # extends
    formalizes: URIRef  # formalizes
    fuel: URIRef  # fuel
    governedBy: URIRef  # governed by
    governs: URIRef  # governs
    heldRole: URIRef  # held role
    inCluster: URIRef  # in cluster
    inSource: URIRef  # in source
    latitude: URIRef  # latitude
    line: URIRef  # line
    location: URIRef  # location
    longitude: URIRef  # longitude
    member: URIRef  # member
    memberPort: URIRef  # member port
    onBehalfOf: URIRef  # on behalf of
    operatedBy: URIRef  # operated by
    operates: URIRef  # operates
    organization: URIRef  # organization
    organizer: URIRef  # organizer
    paragraph: URIRef  # paragraph
    partOf: URIRef  # part of
    participant: URIRef  # participant
    participantRole: URIRef  # participant role
    party: URIRef  # party
    plannedStart: URIRef  # planned start
    position: URIRef  # position
    positionKind: URIRef  # position kind
    positionSource: URIRef  # position source
    precedes: URIRef  # precedes
    published: URIRef  # published
    publisher: URIRef  # publisher
    purpose: URIRef  # purpose
    renews: URIRef  # renews
    retrieved: URIRef  # retrieved
    role: URIRef  # role
    roleAsPrinted: URIRef  # role as printed
    scope: URIRef  # scope item
    signatory: URIRef  # signatory
    signedAt: URIRef  # signed at
    signedDuring: URIRef  # signed during
    signedOn: URIRef  # signed on
    sourceFile: URIRef  # source file
    sourcesCompared: URIRef  # sources compared
    sourcesDifferOn: URIRef  # sources differ on
    speaker: URIRef  # speaker
    startDate: URIRef  # start date
    statedIn: URIRef  # stated in
    status: URIRef  # status
    statusAssertion: URIRef  # status assertion
    subdivision: URIRef  # subdivision
    summary: URIRef  # summary
    supersedes: URIRef  # supersedes
    textFile: URIRef  # text file
    theme: URIRef  # theme
    tradeSegment: URIRef  # trade segment
    unlocode: URIRef  # UN/LOCODE
    unlocodeFunction: URIRef  # UN/LOCODE function
    unlocodeStatus: URIRef  # UN/LOCODE status
    url: URIRef  # URL
    # END GENERATED TERMS


BASE = "https://w3id.org/portlod/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "id/graph/")
THEME = Namespace(BASE + "theme/")
ROLE = Namespace(BASE + "role/")
FUEL = Namespace(BASE + "fuel/")
UNLOCODE = Namespace("https://vocabulary.uncefact.org/unlocode#")

#: The prefixes of every query and export, in a fixed order.
PREFIXES: dict[str, str] = {
    "pl": str(PL._NS),
    "id": str(ID),
    "theme": str(THEME),
    "role": str(ROLE),
    "fuel": str(FUEL),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "unlcd": str(UNLOCODE),
    "unlcdv": "https://vocabulary.uncefact.org/unlocode-vocab/",
    "unlcdf": "https://vocabulary.uncefact.org/unlocode-functions#",
    "wd": "http://www.wikidata.org/entity/",
}
