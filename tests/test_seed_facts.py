"""The seed facts: every fact of the two seed articles (domain.md §6, facts 1-96) is in the
built data set, in the named graph of the paragraph that states it.

Each row of ``FACTS`` is (fact number, source key, paragraph, SPARQL graph pattern); the row
holds when ``ASK { GRAPH <.../graph/<source>/p<N>> { pattern } }`` is true. Further tests check
that the facts the articles only imply are kept in derived fact graphs, and that the
differences between the two articles are kept, each with its own source.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

import portlod

DATA = Path(__file__).parents[1] / "data"

ID = "https://w3id.org/portlod/id/"
A0 = "pacmar-port-of-la-japanese-swedish-ports"  # Pacific Maritime Magazine (000_*.txt)
A1 = "ktla-2023-03-16-port-of-la-gsc"  # KTLA / Nexstar Media Wire, 2023-03-16 (001_*.txt)
METADATA = f"<{ID}graph/sources>"

PREFIXES = f"""
PREFIX pl:     <https://w3id.org/portlod/ontology#>
PREFIX theme:  <https://w3id.org/portlod/theme/>
PREFIX role:   <https://w3id.org/portlod/role/>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:   <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX agr:    <{ID}agreement/>
PREFIX o:      <{ID}org/>
PREFIX per:    <{ID}person/>
PREFIX port:   <{ID}port/>
PREFIX ini:    <{ID}initiative/>
PREFIX ev:     <{ID}event/>
PREFIX rel:    <{ID}relationship/>
PREFIX img:    <{ID}image/>
PREFIX mem:    <{ID}membership/>
PREFIX cty:    <{ID}country/>
PREFIX src:    <{ID}source/>
PREFIX unlcd:  <https://vocabulary.uncefact.org/unlocode#>
"""

# The agreements, by key.
TYO = "agr:2023-03-pola-tokyo-mou"
YOK = "agr:2023-03-16-pola-yokohama-mou"
GOT = "agr:2023-03-pola-gothenburg-mou"
JAPAN_MOUS = (TYO, YOK)
MISSION = "ev:2023-california-japan-trade-mission"
POLA = "o:port-of-los-angeles"
YKIP = "o:yokohama-kawasaki-international-port-corporation"


def graph(source: str, para: int | str) -> str:
    name = para if isinstance(para, str) else f"p{para}"
    return f"<{ID}graph/{source}/{name}>"


def passage(source: str, para: int) -> str:
    return f"<{ID}source/{source}/p{para}>"


# --- pattern builders -------------------------------------------------------------------------

_n = 0


def _var(stem: str) -> str:
    """A fresh variable, so that patterns can be joined without clashes."""
    global _n
    _n += 1
    return f"?{stem}{_n}"


def contains(var: str, *words: str) -> str:
    tests = " && ".join(f'CONTAINS(LCASE(STR({var})), "{w.lower()}")' for w in words)
    return f"FILTER({tests})"


def literal_with(subject: str, prop: str, *words: str) -> str:
    """``subject prop ?x`` where ?x contains every word (case-insensitive)."""
    v = _var("x")
    return f"{subject} {prop} {v} . {contains(v, *words)}"


def scope(agreements: tuple[str, ...], *words: str, themes: tuple[str, ...] = ()) -> str:
    parts = []
    for a in agreements:
        parts.append(literal_with(a, "pl:scope", *words))
        parts.extend(f"{a} pl:theme theme:{t} ." for t in themes)
    return "\n".join(parts)


def membership(person: str, org: str, role: str, printed: str, as_of: str | None = None) -> str:
    m = f"mem:{person}--{org}--{role}"
    concept = "".join(w.capitalize() for w in role.split("-"))
    out = (f"{m} a pl:Membership ; pl:member per:{person} ; pl:organization o:{org} ; "
           f'pl:roleAsPrinted "{printed}" ; pl:role role:{concept} .')
    if as_of:
        out += f" {m} pl:attestedOn {as_of} ."
    return out


def signatory(agreement: str, person: str, org: str, role: str, printed: str) -> str:
    s = _var("sig")
    concept = "".join(w.capitalize() for w in role.split("-"))
    return (f"{agreement} pl:signatory {s} . {s} a pl:Signatory ; pl:agent per:{person} ; "
            f'pl:onBehalfOf o:{org} ; pl:roleAsPrinted "{printed}" ; pl:role role:{concept} ; '
            f"pl:heldRole mem:{person}--{org}--{role} .")


def unnamed_signatory(agreement: str, org: str, printed: str) -> str:
    s = _var("sig")
    return (f"{agreement} pl:signatory {s} . {s} a pl:Signatory ; pl:onBehalfOf o:{org} ; "
            f'pl:roleAsPrinted "{printed}" . FILTER NOT EXISTS {{ {s} pl:agent [] }}')


def attendee(agreement: str, person: str, org: str, role: str) -> str:
    a = _var("att")
    return (f"{agreement} pl:attendee {a} . {a} a pl:Attendance ; pl:agent per:{person} ; "
            f"pl:onBehalfOf o:{org} ; pl:heldRole mem:{person}--{org}--{role} .")


def quotation(source: str, para: int, speaker: str, *summary_words: str, excerpt: str | None = None,
              held: str | None = None, about: tuple[str, ...] = ()) -> str:
    q = _var("q")
    out = [f"{q} a pl:Quotation ; pl:speaker per:{speaker} ; pl:statedIn {passage(source, para)} ."]
    if summary_words:
        out.append(literal_with(q, "pl:summary", *summary_words))
    if excerpt:
        out.append(f'{q} pl:excerpt "{excerpt}"@en .')
    if held:
        out.append(f"{q} pl:heldRole mem:{held} .")
    out.extend(f"{q} pl:about {a} ." for a in about)
    return "\n".join(out)


def corridor(key: str, endpoints: tuple[str, ...], partners: tuple[str, ...]) -> str:
    c = f"ini:{key}"
    out = [f"{c} a pl:GreenShippingCorridor ."]
    out.extend(f"{c} pl:endpoint port:{e} ." for e in endpoints)
    for org in partners:
        p = _var("part")
        out.append(f"{c} pl:participant {p} . {p} a pl:CorridorParticipation ; pl:agent o:{org} ; "
                   "pl:participantRole pl:PortPartner .")
    return "\n".join(out)


def status(key: str, source: str, para: int, value: str, as_of: str, printed: str) -> str:
    a = f"<{ID}initiative/{key}/status/{source}-p{para}-{value.lower()}>"
    return (f"ini:{key} pl:statusAssertion {a} . {a} a pl:StatusAssertion ; pl:status pl:{value} ; "
            f'pl:asOf {as_of} ; pl:dateAsPrinted "{printed}" .')


def each(agreements: tuple[str, ...], template: str) -> str:
    """The same pattern for each agreement (``{a}`` in the template)."""
    return "\n".join(template.format(a=a) for a in agreements)


def gym(value: str) -> str:
    return f'"{value}"^^xsd:gYearMonth'


def day(value: str) -> str:
    return f'"{value}"^^xsd:date'


def year(value: str) -> str:
    return f'"{value}"^^xsd:gYear'


# --- the table --------------------------------------------------------------------------------


class Fact(NamedTuple):
    number: int
    source: str
    para: int | None  # None: the fact is about the source itself (metadata graph)
    pattern: str


FACTS: list[Fact] = [
    # ---- A0: Pacific Maritime Magazine ------------------------------------------------------
    # P1 (title)
    Fact(1, A0, 1, f"{TYO} pl:party {POLA}, o:port-of-tokyo ; pl:status pl:Signed . "
                   f"{YOK} pl:party {POLA}, o:port-of-yokohama ; pl:status pl:Signed . "
                   "o:port-of-tokyo pl:country cty:JP . o:port-of-yokohama pl:country cty:JP ."),
    Fact(2, A0, 1, f"{GOT} pl:party {POLA}, o:port-of-gothenburg ; pl:status pl:Signed . "
                   "o:port-of-gothenburg pl:country cty:SE ."),
    # P2 (caption of the Yokohama signing photo)
    Fact(3, A0, 2, membership("hiroya-nakano", "port-of-yokohama", "director-general", "Director General",
                              day("2023-03-16"))),
    Fact(4, A0, 2, signatory(YOK, "hiroya-nakano", "port-of-yokohama", "director-general", "Director General")),
    Fact(5, A0, 2, membership("gene-seroka", "port-of-los-angeles", "executive-director", "Executive Director",
                              day("2023-03-16"))),
    Fact(6, A0, 2, signatory(YOK, "gene-seroka", "port-of-los-angeles", "executive-director",
                             "Executive Director")),
    Fact(7, A0, 2, membership("shinya-hitomi", "yokohama-kawasaki-international-port-corporation",
                              "chief-executive-officer", "President and CEO", day("2023-03-16"))),
    Fact(8, A0, 2, attendee(YOK, "shinya-hitomi", "yokohama-kawasaki-international-port-corporation",
                            "chief-executive-officer")),
    Fact(9, A0, 2, membership("eleni-kounalakis", "state-of-california", "lieutenant-governor",
                              "California Lt. Gov.", day("2023-03-16"))),
    Fact(10, A0, 2, attendee(YOK, "eleni-kounalakis", "state-of-california", "lieutenant-governor")),
    Fact(11, A0, 2, membership("toks-omishakin", "state-of-california", "secretary-of-transportation",
                               "California Secretary of Transportation", day("2023-03-16"))),
    Fact(12, A0, 2, attendee(YOK, "toks-omishakin", "state-of-california", "secretary-of-transportation")),
    Fact(13, A0, 2, f"{YOK} a pl:MemorandumOfUnderstanding ; pl:signedOn {day('2023-03-16')} ; "
                    f"pl:party {POLA}, o:port-of-yokohama ."),
    Fact(14, A0, 2, f"img:pola-yokohama-mou-signing-photo a pl:Image ; pl:credit {POLA} ; pl:about {YOK} ; "
                    "pl:depicts per:hiroya-nakano, per:gene-seroka, per:shinya-hitomi, per:eleni-kounalakis, "
                    f"per:toks-omishakin ; pl:statedIn {passage(A0, 2)} ."),
    # P3
    Fact(15, A0, 3, f"{TYO} a pl:MemorandumOfUnderstanding ; pl:party {POLA}, o:port-of-tokyo ."),
    Fact(16, A0, 3, f"{YOK} a pl:MemorandumOfUnderstanding ; pl:party {POLA}, o:port-of-yokohama ."),
    Fact(17, A0, 3, f"{TYO} a pl:MemorandumOfUnderstanding . {YOK} a pl:MemorandumOfUnderstanding . "
                    f"FILTER NOT EXISTS {{ {TYO} pl:party o:port-of-yokohama }} "
                    f"FILTER NOT EXISTS {{ {YOK} pl:party o:port-of-tokyo }}"),
    Fact(18, A0, 3, each(JAPAN_MOUS, '{a} pl:signedOn "2023-03"^^xsd:gYearMonth ; '
                                     'pl:dateAsPrinted "mid-March" .')),
    Fact(19, A0, 3, each(JAPAN_MOUS, "{a} pl:theme theme:EnvironmentalStewardship .") + "\n"
         + "\n".join(literal_with(a, "pl:purpose", "sustainability", "environmental") for a in JAPAN_MOUS)),
    # P4
    Fact(20, A0, 4, "\n".join(unnamed_signatory(a, "port-of-los-angeles", "officials") for a in JAPAN_MOUS)),
    Fact(21, A0, 4, each(JAPAN_MOUS, f"{{a}} pl:signedDuring {MISSION} .")
         + f'\n{MISSION} a pl:TradeMission ; pl:dateAsPrinted "weeklong" ; '
         'rdfs:label "2023 California Japan Clean Energy Trade Mission"@en .'),
    # P5
    Fact(22, A0, 5, scope(JAPAN_MOUS, "best practices", "environmental", "sustainability",
                          themes=("BestPracticeExchange", "EnvironmentalStewardship"))),
    Fact(23, A0, 5, scope(JAPAN_MOUS, "digitaliz", "supply chain", "efficient", "impact",
                          themes=("SupplyChainDigitalization", "OperationalEfficiency"))),
    # P6 (Kounalakis)
    Fact(24, A0, 6, quotation(A0, 6, "eleni-kounalakis", "california", "japan", "climate",
                              held="eleni-kounalakis--state-of-california--lieutenant-governor",
                              about=JAPAN_MOUS)),
    Fact(25, A0, 6, quotation(A0, 6, "eleni-kounalakis", "partnership", "zero greenhouse gas",
                              held="eleni-kounalakis--state-of-california--lieutenant-governor",
                              about=JAPAN_MOUS)),
    Fact(26, A0, 6, each(JAPAN_MOUS, '{a} pl:dateAsPrinted "this week" .')),
    # P7: two bilateral corridors, announced, to start within a year
    Fact(27, A0, 7, corridor("pola-tokyo-gsc", ("USLAX", "JPTYO"), ("port-of-los-angeles", "port-of-tokyo"))
         + "\n" + status("pola-tokyo-gsc", A0, 7, "Announced", gym("2023-03"), "agreed to establish")),
    Fact(28, A0, 7, corridor("pola-yokohama-gsc", ("USLAX", "JPYOK"), ("port-of-los-angeles", "port-of-yokohama"))
         + "\n" + status("pola-yokohama-gsc", A0, 7, "Announced", gym("2023-03"), "agreed to establish")),
    Fact(29, A0, 7, each(("ini:pola-tokyo-gsc", "ini:pola-yokohama-gsc"),
                         f'{{a}} pl:plannedStart {gym("2024-03")} ; pl:dateAsPrinted "in the coming year" .')),
    Fact(30, A0, 7, "\n".join(literal_with(c, "pl:aim", "emissions", "trade routes")
                              for c in ("ini:pola-tokyo-gsc", "ini:pola-yokohama-gsc"))),
    Fact(31, A0, 7, "\n".join(literal_with(c, "pl:aim", "ships", "fuels", "low or zero carbon")
                              + f" {c} pl:theme theme:ZeroEmissionVessels, theme:AlternativeFuels ."
                              for c in ("ini:pola-tokyo-gsc", "ini:pola-yokohama-gsc"))),
    # P8: Shanghai and Singapore corridors "already established"
    Fact(32, A0, 8, corridor("pola-shanghai-gsc", ("USLAX", "CNSHG"), ("port-of-los-angeles", "port-of-shanghai"))
         + "\n" + status("pola-shanghai-gsc", A0, 8, "Agreed", gym("2023-03"), "already established")),
    Fact(33, A0, 8, corridor("pola-singapore-gsc", ("USLAX", "SGSIN"), ("port-of-los-angeles", "port-of-singapore"))
         + "\n" + status("pola-singapore-gsc", A0, 8, "Agreed", gym("2023-03"), "already established")),
    # P9 (Seroka)
    Fact(34, A0, 9, quotation(A0, 9, "gene-seroka", "maritime industry", "work together",
                              excerpt="Global cooperation is critical",
                              held="gene-seroka--port-of-los-angeles--executive-director")),
    Fact(35, A0, 9, quotation(A0, 9, "gene-seroka", "environmental technology", "decarbonization",
                              "international partners",
                              held="gene-seroka--port-of-los-angeles--executive-director")),
    # P10 (Hitomi)
    Fact(36, A0, 10, quotation(A0, 10, "shinya-hitomi", "biggest partner", excerpt="our largest partner in Japan",
                               held="shinya-hitomi--yokohama-kawasaki-international-port-corporation"
                                    "--chief-executive-officer", about=(YOK,))),
    Fact(37, A0, 10, quotation(A0, 10, "shinya-hitomi", "decarboniz", "both ports")
         + "\n" + quotation(A0, 10, "shinya-hitomi", "goal", excerpt="a significant step forward", about=(YOK,))),
    # P11 (caption of the Gothenburg photo)
    Fact(38, A0, 11, membership("elvir-dzanic", "port-of-gothenburg", "chief-executive-officer", "CEO")),
    Fact(39, A0, 11, f"rel:pola-gothenburg-cooperation a pl:Relationship ; pl:party {POLA}, o:port-of-gothenburg . "
         + literal_with("rel:pola-gothenburg-cooperation", "skos:note", "wide range of issues")),
    Fact(40, A0, 11, f"img:pola-gothenburg-leaders-photo a pl:Image ; pl:depicts per:elvir-dzanic, per:gene-seroka ; "
                     f"pl:credit {POLA} ; pl:statedIn {passage(A0, 11)} ."),
    # P12: the areas of cooperation of the two Japanese MOUs
    Fact(41, A0, 12, scope(JAPAN_MOUS, "strengthening", "trade routes", themes=("TradeRouteDevelopment",))),
    Fact(42, A0, 12, scope(JAPAN_MOUS, "efficient maritime operations", "supply chain",
                           themes=("OperationalEfficiency",))),
    Fact(43, A0, 12, scope(JAPAN_MOUS, "environmental sustainability", themes=("EnvironmentalStewardship",))),
    Fact(44, A0, 12, scope(JAPAN_MOUS, "testing", "deploying", "zero-emission vehicles",
                           themes=("ZeroEmissionVehicles",))),
    Fact(45, A0, 12, scope(JAPAN_MOUS, "testing", "deploying", "zero-emission cargo handling equipment",
                           themes=("CargoHandlingEquipment",))),
    Fact(46, A0, 12, scope(JAPAN_MOUS, "testing", "deploying", "zero-emission vessels",
                           themes=("ZeroEmissionVessels",))),
    Fact(47, A0, 12, scope(JAPAN_MOUS, "energy use", "alternative energy sources",
                           themes=("EnergyUseAndAlternativeEnergy",))),
    Fact(48, A0, 12, scope(JAPAN_MOUS, "cooperating", "pollution-reduction", "terminals",
                           themes=("PollutionReduction",))),
    Fact(49, A0, 12, scope(JAPAN_MOUS, "cooperating", "pollution-reduction", "ocean-going vessels",
                           themes=("PollutionReduction",))),
    Fact(50, A0, 12, scope(JAPAN_MOUS, "cooperating", "pollution-reduction", "drayage trucks",
                           themes=("PollutionReduction",))),
    # P13 (Yaoka)
    Fact(51, A0, 13, membership("toshiki-yaoka", "port-of-tokyo", "director-general", "Director General")),
    Fact(52, A0, 13, quotation(A0, 13, "toshiki-yaoka", "relationship", "sustainable", "grow",
                               excerpt="strengthens our fruitful relationship",
                               held="toshiki-yaoka--port-of-tokyo--director-general", about=(TYO,))),
    # P14: 1969 trade agreement, 1987 sister port relationship
    Fact(53, A0, 14, f"rel:pola-yokohama-cooperation a pl:Relationship ; pl:party {POLA}, o:port-of-yokohama ; "
                     f"pl:startDate {year('1969')} . "
         + literal_with("rel:pola-yokohama-cooperation", "skos:note", "long time")),
    Fact(54, A0, 14, f"agr:1969-pola-yokohama-trade-agreement a pl:TradeAgreement ; pl:party {POLA}, "
                     f"o:port-of-yokohama ; pl:signedOn {year('1969')} ; pl:theme theme:TradeRouteDevelopment . "
         + literal_with("agr:1969-pola-yokohama-trade-agreement", "pl:purpose", "trade routes")),
    Fact(55, A0, 14, f"agr:1987-pola-tokyo-sister-port-agreement a pl:SisterPortAgreement ; pl:party {POLA}, "
                     f"o:port-of-tokyo ; pl:signedOn {year('1987')} ; "
                     "pl:formalizes rel:pola-tokyo-sister-port-relationship . "
                     f"rel:pola-tokyo-sister-port-relationship a pl:Relationship ; pl:party {POLA}, o:port-of-tokyo ; "
                     f"pl:startDate {year('1987')} ."),
    # P15: the trade mission
    Fact(56, A0, 15, f"{MISSION} a pl:TradeMission ; pl:startDate {day('2023-03-11')} ; "
                     f"pl:endDate {day('2023-03-18')} ."),
    Fact(57, A0, 15, f"{MISSION} pl:location cty:JP ."),
    Fact(58, A0, 15, literal_with(MISSION, "pl:dateAsPrinted", "weeklong")),
    Fact(59, A0, 15, literal_with(MISSION, "pl:audience", "clean-energy companies")),
    Fact(60, A0, 15, literal_with(MISSION, "pl:audience", "climate change", "renewable energy", "zero-emission",
                                  "sustainable products and services")
         + f" {MISSION} pl:theme theme:Decarbonization, theme:EnergyUseAndAlternativeEnergy ."),
    # P16: the Gothenburg MOU
    Fact(61, A0, 16, f"{GOT} a pl:MemorandumOfUnderstanding ; pl:party {POLA}, o:port-of-gothenburg ; "
                     "pl:status pl:Signed ."),
    Fact(62, A0, 16, "port:SEGOT pl:country cty:SE . o:port-of-gothenburg pl:country cty:SE ."),
    Fact(63, A0, 16, f'{GOT} pl:signedOn {gym("2023-03")} ; pl:dateAsPrinted "early March" .'),
    Fact(64, A0, 16, f"{GOT} pl:precedes {TYO}, {YOK} ."),
    Fact(65, A0, 16, f'{GOT} pl:scope "sustainability"@en, "digital and physical infrastructure"@en, '
                     '"trade opportunities"@en ; '
                     "pl:theme theme:EnvironmentalStewardship, theme:InfrastructureDevelopment, "
                     "theme:TradeRouteDevelopment . " + literal_with(GOT, "pl:scope", "further subjects")),
    # P17: signed at a ceremony in Los Angeles
    Fact(66, A0, 17, f'{GOT} pl:signedAt unlcd:USLAX . unlcd:USLAX a pl:Locality ; pl:unlocode "USLAX" . '
                     f"{GOT} pl:signedDuring ev:2023-03-pola-gothenburg-signing-ceremony . "
                     "ev:2023-03-pola-gothenburg-signing-ceremony a pl:SigningCeremony ; pl:location unlcd:USLAX ."),
    Fact(67, A0, 17, literal_with(GOT, "pl:purpose", "deepen", "working relationship", "issues")),
    # P18 (Seroka on Gothenburg)
    Fact(68, A0, 18, quotation(A0, 18, "gene-seroka", "innovating", "modernizing", "best practices",
                               "already strong", excerpt="continue to work together to innovate", about=(GOT,))),
    # P19: green energy
    Fact(69, A0, 19, scope((GOT,), "green energy", themes=("EnergyUseAndAlternativeEnergy",))),
    # P20 (Dzanic)
    Fact(70, A0, 20, quotation(A0, 20, "elvir-dzanic", "digitalization", "decarbonization",
                               excerpt="frontrunners in Europe and the Americas",
                               held="elvir-dzanic--port-of-gothenburg--chief-executive-officer", about=(GOT,))),
    Fact(71, A0, 20, quotation(A0, 20, "elvir-dzanic", "gain", excerpt="each other's innovations, ideas and best practices",
                               held="elvir-dzanic--port-of-gothenburg--chief-executive-officer", about=(GOT,))),
    # ---- A1: KTLA / Nexstar Media Wire, 2023-03-16 -----------------------------------------
    # P1: the date line is about the article itself, so it is in the metadata graph
    Fact(72, A1, None, f"src:{A1} a pl:NewsArticle ; pl:published {day('2023-03-16')} ; pl:publisher o:ktla ."),
    Fact(73, A1, 1, f"{TYO} pl:party {POLA}, o:port-of-tokyo . {YOK} pl:party {POLA}, o:port-of-yokohama ."),
    Fact(74, A1, 1, "port:JPTYO pl:country cty:JP . port:JPYOK pl:country cty:JP . "
                    "o:port-of-tokyo pl:country cty:JP . o:port-of-yokohama pl:country cty:JP ."),
    Fact(75, A1, 1, "\n".join(literal_with(a, "pl:purpose", "shipping", "more sustainable") for a in JAPAN_MOUS)),
    # P2
    Fact(76, A1, 2, each(JAPAN_MOUS, "{a} a pl:MemorandumOfUnderstanding ; pl:status pl:Signed .")),
    Fact(77, A1, 2, "\n".join(unnamed_signatory(a, "port-of-los-angeles", "Port officials") for a in JAPAN_MOUS)),
    Fact(78, A1, 2, each(JAPAN_MOUS, f'{{a}} pl:signedDuring {MISSION} ; pl:signedOn {gym("2023-03")} ; '
                                     'pl:dateAsPrinted "this week" .')
         + f'\n{MISSION} a pl:TradeMission ; rdfs:label "2023 California Japan Clean Energy Trade Mission"@en .'),
    # P3: one corridor of the three ports
    Fact(79, A1, 3, corridor("pola-tokyo-yokohama-gsc", ("USLAX", "JPTYO", "JPYOK"),
                             ("port-of-los-angeles", "port-of-tokyo", "port-of-yokohama"))
         + "\nini:pola-tokyo-yokohama-gsc pl:alternativeAccountOf ini:pola-tokyo-gsc, ini:pola-yokohama-gsc ."),
    Fact(80, A1, 3, f'ini:pola-tokyo-yokohama-gsc pl:plannedStart {gym("2024-03")} ; '
                    'pl:dateAsPrinted "within the coming year" .\n'
         + status("pola-tokyo-yokohama-gsc", A1, 3, "Announced", day("2023-03-16"), "agreed upon")),
    Fact(81, A1, 3, literal_with("ini:pola-tokyo-yokohama-gsc", "pl:aim", "emissions", "trade routes") + "\n"
         + literal_with("ini:pola-tokyo-yokohama-gsc", "pl:aim", "ships", "fuels", "low or zero carbon")),
    # P4 (Seroka)
    Fact(82, A1, 4, membership("gene-seroka", "port-of-los-angeles", "executive-director", "Executive Director",
                               day("2023-03-16"))),
    Fact(83, A1, 4, quotation(A1, 4, "gene-seroka", "maritime industry", "work together",
                              excerpt="Global cooperation is critical",
                              held="gene-seroka--port-of-los-angeles--executive-director") + "\n"
         + quotation(A1, 4, "gene-seroka", "decarbonization", "international partners",
                     held="gene-seroka--port-of-los-angeles--executive-director")),
    # P5: Shanghai and Singapore
    Fact(84, A1, 5, corridor("pola-shanghai-gsc", ("USLAX", "CNSHG"), ("port-of-los-angeles", "port-of-shanghai"))
         + "\n" + status("pola-shanghai-gsc", A1, 5, "Agreed", day("2023-03-16"), "already established")),
    Fact(85, A1, 5, corridor("pola-singapore-gsc", ("USLAX", "SGSIN"), ("port-of-los-angeles", "port-of-singapore"))
         + "\n" + status("pola-singapore-gsc", A1, 5, "Agreed", day("2023-03-16"), "already established")),
    # P6: the areas of cooperation as KTLA gives them
    Fact(86, A1, 6, scope(JAPAN_MOUS, "efficient maritime operations", "supply chain",
                          themes=("OperationalEfficiency",))),
    Fact(87, A1, 6, scope(JAPAN_MOUS, "environmental sustainability", themes=("EnvironmentalStewardship",))),
    Fact(88, A1, 6, scope(JAPAN_MOUS, "stronger trade routes", themes=("TradeRouteDevelopment",))),
    Fact(89, A1, 6, scope(JAPAN_MOUS, "joint testing", "deployment", "zero-emission vehicles",
                          themes=("ZeroEmissionVehicles",))),
    Fact(90, A1, 6, scope(JAPAN_MOUS, "joint testing", "deployment", "cargo handling equipment",
                          themes=("CargoHandlingEquipment",))),
    Fact(91, A1, 6, scope(JAPAN_MOUS, "alternative energy sources", themes=("EnergyUseAndAlternativeEnergy",))),
    Fact(92, A1, 6, scope(JAPAN_MOUS, "enforcing", "pollution-reduction", "terminals", "ocean-going vessels",
                          "drayage trucks", themes=("PollutionReduction",))),
    # P7 (Hitomi)
    Fact(93, A1, 7, membership("shinya-hitomi", "yokohama-kawasaki-international-port-corporation",
                               "chief-executive-officer", "President and CEO", day("2023-03-16"))),
    Fact(94, A1, 7, quotation(A1, 7, "shinya-hitomi", "biggest partner", "decarboniz",
                              excerpt="our largest partner in Japan",
                              held="shinya-hitomi--yokohama-kawasaki-international-port-corporation"
                                   "--chief-executive-officer", about=(YOK,)) + "\n"
         + quotation(A1, 7, "shinya-hitomi", "goal", excerpt="a significant step forward", about=(YOK,))),
    # P8: 1969 and 1987
    Fact(95, A1, 8, f"agr:1969-pola-yokohama-trade-agreement a pl:TradeAgreement ; pl:party {POLA}, "
                    f"o:port-of-yokohama ; pl:signedOn {year('1969')} . "
         + literal_with("agr:1969-pola-yokohama-trade-agreement", "pl:purpose", "trade routes")),
    Fact(96, A1, 8, f"agr:1987-pola-tokyo-sister-port-agreement a pl:SisterPortAgreement ; pl:party {POLA}, "
                    f"o:port-of-tokyo ; pl:signedOn {year('1987')} ."),
]

LINES = {A0: {p: 2 * p - 1 for p in range(1, 21)}, A1: {p: 2 * p - 1 for p in range(1, 9)}}


# --- fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds() -> portlod.Dataset:
    """The seed data set, built from data/ once for this module (read-only)."""
    return portlod.build(DATA)


def ask(ds: portlod.Dataset, body: str) -> bool:
    result = ds.store.query(PREFIXES + "ASK {\n" + body + "\n}")
    return bool(result)  # pyoxigraph 0.5 answers ASK with a QueryBoolean


def in_graph(g: str, pattern: str) -> str:
    return f"GRAPH {g} {{\n{pattern}\n}}"


def article_graphs(var: str, source: str, *, derived: bool = False) -> str:
    """Bind ``var`` to the fact graphs of one article (stated ones, or with ``derived`` its derived ones)."""
    p = _var("p")
    kind = "pl:DerivedFactGraph" if derived else "pl:FactGraph"
    out = f"GRAPH {METADATA} {{ {var} a {kind} ; pl:derivedFrom {p} . {p} pl:inSource src:{source} ."
    if not derived:
        out += f" FILTER NOT EXISTS {{ {var} a pl:DerivedFactGraph }}"
    return out + " }"


# --- the facts, one by one --------------------------------------------------------------------


def test_table_covers_every_fact() -> None:
    assert sorted(f.number for f in FACTS) == list(range(1, 97))


@pytest.mark.parametrize("fact", FACTS, ids=[f"fact{f.number:02d}-{'A0' if f.source == A0 else 'A1'}"
                                             f"-p{f.para}" for f in FACTS])
def test_fact(ds: portlod.Dataset, fact: Fact) -> None:
    g = METADATA if fact.para is None else graph(fact.source, fact.para)
    assert ask(ds, in_graph(g, fact.pattern)), (
        f"fact {fact.number} is not in {g}:\n{fact.pattern}")


@pytest.mark.parametrize("source,para", sorted({(f.source, f.para) for f in FACTS if f.para is not None}))
def test_fact_graph_cites_its_paragraph(ds: portlod.Dataset, source: str, para: int) -> None:
    """Each graph the table uses is a fact graph of that article's paragraph, at the right line."""
    assert ask(ds, in_graph(METADATA,
                            f"{graph(source, para)} a pl:FactGraph ; pl:derivedFrom {passage(source, para)} . "
                            f"{passage(source, para)} a pl:Passage ; pl:inSource src:{source} ; "
                            f"pl:paragraph ?n ; pl:line ?l . "
                            f"FILTER(?n = {para} && ?l = {LINES[source][para]})"))


def test_sources_are_described(ds: portlod.Dataset) -> None:
    assert ask(ds, in_graph(METADATA, f"""
        src:{A0} a pl:NewsArticle ; pl:publisher o:pacific-maritime-magazine ;
            dcterms:title "Port of LA Signs Collaborative Agreements with Japanese, Swedish Ports"@en ;
            pl:retrieved {day('2026-11-22')} ; pl:url ?u0 .
        FILTER NOT EXISTS {{ src:{A0} pl:published [] }}
        src:{A1} a pl:NewsArticle ; pl:publisher o:ktla ; pl:retrieved {day('2026-11-22')} ; pl:url ?u1 .
        FILTER(STRSTARTS(STR(?u0), "https://pacmar.com/") && STRSTARTS(STR(?u1), "https://ktla.com/"))"""))


# --- implied facts: only in derived fact graphs -----------------------------------------------

IMPLIED = [
    # POLA is in California (A0 P6)
    ("pola-in-california", (6,), 'port:USLAX pl:subdivision "US-CA" .'),
    # The Tokyo and Yokohama MOUs were signed in Japan (A0 P4 + P15)
    ("japan-mous-signed-in-japan", (4, 15), f"{TYO} pl:signedAt cty:JP . {YOK} pl:signedAt cty:JP ."),
    # POLA is YKIP's largest partner in Japan (A0 P10)
    ("pola-largest-partner-of-ykip", (10,),
     f"rel:pola-ykip-partnership a pl:Relationship ; pl:party {POLA}, {YKIP} . "
     + literal_with("rel:pola-ykip-partnership", "skos:note", "largest partner")),
]


@pytest.mark.parametrize("name,paras,pattern", IMPLIED, ids=[i[0] for i in IMPLIED])
def test_implied_fact_is_derived(ds: portlod.Dataset, name: str, paras: tuple[int, ...], pattern: str) -> None:
    derived_from = " ; ".join(f"pl:derivedFrom {passage(A0, p)}" for p in paras)
    assert ask(ds, f"""
        GRAPH ?g {{ {pattern} }}
        GRAPH {METADATA} {{ ?g a pl:DerivedFactGraph ; {derived_from} . }}""")
    # ... and no article states it outright
    g = _var("g")
    assert not ask(ds, f"GRAPH {g} {{ {pattern} }} {article_graphs(g, A0)}")
    assert not ask(ds, f"GRAPH {g} {{ {pattern} }} {article_graphs(g, A1)}")


# --- differences between the two articles: both kept, each with its source --------------------


def test_zero_emission_vessels_only_in_pacmar(ds: portlod.Dataset) -> None:
    """A0 P12 lists zero-emission vessels among the areas of cooperation; A1 P6 does not."""
    for mou in JAPAN_MOUS:
        assert ask(ds, in_graph(graph(A0, 12), f"{mou} pl:theme theme:ZeroEmissionVessels ."))
        g = _var("g")
        assert not ask(ds, f"GRAPH {g} {{ {mou} pl:theme theme:ZeroEmissionVessels }} {article_graphs(g, A1)}")
        s = _var("s")
        assert not ask(ds, f"GRAPH {g} {{ {mou} pl:scope {s} . {contains(s, 'zero-emission vessels')} }} "
                           f"{article_graphs(g, A1)}")
        # A1 P6 does have the other zero-emission items
        assert ask(ds, in_graph(graph(A1, 6), f"{mou} pl:theme theme:ZeroEmissionVehicles, "
                                              "theme:CargoHandlingEquipment ."))


def test_pollution_verb_differs(ds: portlod.Dataset) -> None:
    """A1 says the MOUs enforce pollution-reduction initiatives; A0 says the ports cooperate on
    pollution-reduction technologies."""
    for mou in JAPAN_MOUS:
        assert ask(ds, in_graph(graph(A1, 6), literal_with(mou, "pl:scope", "enforcing", "pollution")))
        assert ask(ds, in_graph(graph(A0, 12), literal_with(mou, "pl:scope", "cooperating", "pollution")))
        g, s = _var("g"), _var("s")
        assert not ask(ds, f"GRAPH {g} {{ {mou} pl:scope {s} . {contains(s, 'enforc')} }} {article_graphs(g, A0)}")
        assert not ask(ds, f"GRAPH {g} {{ {mou} pl:scope {s} . {contains(s, 'cooperating on pollution')} }} "
                           f"{article_graphs(g, A1)}")


def test_corridor_shape_differs(ds: portlod.Dataset) -> None:
    """A0 P7: two bilateral corridors; A1 P3: one corridor of three ports, kept as an alternative
    account of both."""
    for key, port in (("pola-tokyo-gsc", "JPTYO"), ("pola-yokohama-gsc", "JPYOK")):
        e = _var("e")
        assert ask(ds, in_graph(graph(A0, 7), f"ini:{key} a pl:GreenShippingCorridor ; pl:endpoint port:USLAX, "
                                              f"port:{port} . FILTER NOT EXISTS {{ ini:{key} pl:endpoint {e} . "
                                              f"FILTER({e} NOT IN (port:USLAX, port:{port})) }}"))
        g = _var("g")
        assert not ask(ds, f"GRAPH {g} {{ ini:{key} a pl:GreenShippingCorridor }} {article_graphs(g, A1)}")
    assert ask(ds, in_graph(graph(A1, 3), "ini:pola-tokyo-yokohama-gsc pl:alternativeAccountOf "
                                          "ini:pola-tokyo-gsc, ini:pola-yokohama-gsc ."))
    g = _var("g")
    assert not ask(ds, f"GRAPH {g} {{ ini:pola-tokyo-yokohama-gsc ?p ?o }} {article_graphs(g, A0)}")


def test_signing_dates_differ_in_precision(ds: portlod.Dataset) -> None:
    """Only the Yokohama MOU has a day (from the A0 P2 caption); the Tokyo MOU is mid-March or
    this week; the Gothenburg MOU early March."""
    assert ask(ds, in_graph(graph(A0, 2), f"{YOK} pl:signedOn {day('2023-03-16')} ."))
    g, d = _var("g"), _var("d")
    assert not ask(ds, f"GRAPH {g} {{ {TYO} pl:signedOn {d} . FILTER(DATATYPE({d}) = xsd:date) }}")
    assert ask(ds, in_graph(graph(A0, 3), f'{TYO} pl:dateAsPrinted "mid-March" .'))
    assert ask(ds, in_graph(graph(A1, 2), f'{TYO} pl:dateAsPrinted "this week" .'))
    assert ask(ds, in_graph(graph(A0, 16), f'{GOT} pl:dateAsPrinted "early March" .'))


def test_already_established_claims_kept_per_source(ds: portlod.Dataset) -> None:
    """Both articles say the Shanghai and Singapore corridors were already established in March
    2023 (the Singapore MoU is dated April 2023 elsewhere): each claim is a status assertion of
    its own, dated as of its article."""
    for key in ("pola-shanghai-gsc", "pola-singapore-gsc"):
        a0 = f"<{ID}initiative/{key}/status/{A0}-p8-agreed>"
        a1 = f"<{ID}initiative/{key}/status/{A1}-p5-agreed>"
        assert ask(ds, in_graph(graph(A0, 8), f"ini:{key} pl:statusAssertion {a0} . {a0} pl:asOf {gym('2023-03')} ."))
        assert ask(ds, in_graph(graph(A1, 5), f"ini:{key} pl:statusAssertion {a1} . {a1} pl:asOf {day('2023-03-16')} ."))
        assert not ask(ds, in_graph(graph(A0, 8), f"ini:{key} pl:statusAssertion {a1} ."))


# --- registry facts the table leans on --------------------------------------------------------


def test_registry_ports(ds: portlod.Dataset) -> None:
    for code, country in (("USLAX", "US"), ("USLGB", "US"), ("JPTYO", "JP"), ("JPYOK", "JP"), ("JPKWS", "JP"),
                          ("SEGOT", "SE"), ("CNSHG", "CN"), ("SGSIN", "SG")):
        g = f"<{ID}graph/portlod-ports/port-{code}>"
        assert ask(ds, in_graph(g, f'port:{code} a pl:Port ; pl:unlocode "{code}" ; pl:country cty:{country} ; '
                                   f"skos:closeMatch unlcd:{code} .")), code
    assert ask(ds, "GRAPH ?g { <%scluster/san-pedro-bay> pl:memberPort port:USLAX, port:USLGB }" % ID)
    assert ask(ds, f'GRAPH ?g {{ port:USLAX skos:altLabel "POLA"@en ; pl:operatedBy {POLA} }}')
    # no position is invented where UN/LOCODE has none
    assert not ask(ds, "GRAPH ?g { VALUES ?p { port:USLAX port:SGSIN port:CNSHG } ?p pl:position ?x }")
