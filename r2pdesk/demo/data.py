"""The demo country's content: people, places, institutions, sources, ratings, warnings and
recommendations of the fictional Republic of Lorvania, as plain data."""


from __future__ import annotations

from dataclasses import dataclass

from r2pdesk.assessments.models import (
    Confidence,
    Level,
    Strength,
)
from r2pdesk.earlywarning.models import (
    Horizon,
    Likelihood,
    Resolution,
    ResponseKind,
    Severity,
    WarningStatus,
)
from r2pdesk.earlywarning.service import (  # re-exported: build.py dates the demo with it
    RESPONSE_DAYS as RESPONSE_DAYS,  # noqa: PLC0414
)
from r2pdesk.institutions.models import InstitutionKind
from r2pdesk.members.models import Constituency, Role
from r2pdesk.recommendations.models import (
    Priority,
    RecSource,
    RecStatus,
)
from r2pdesk.sources.models import Confidentiality, SourceKind

DEMO_NOTICE = (
    "Demonstration data: the Republic of Lorvania and every person, institution, place and event "
    "in this database are fictional, and any resemblance to real countries, persons or events is "
    "coincidental."
)
COMMITTEE_NAME = "National Committee for the Prevention of Atrocity Crimes of Lorvania (demo)"
FRAMEWORK_CODE = "foa-2014"
CHAIR, SECRETARY, ANALYST, EXPERT = "Elena Marsk", "Jonah Ferrel", "Amira Solden", "Piotr Vale"

# --- people, places, institutions, sources --------------------------------------------------

# Members: name, role, affiliation and e-mail.
_MEMBERS = (
    (CHAIR, Role.CHAIR, "Independent expert, chair", "chair@committee.example.org",
     Constituency.INDEPENDENT_EXPERT),
    (SECRETARY, Role.SECRETARIAT, "Committee secretariat", "secretariat@committee.example.org",
     Constituency.GOVERNMENT),
    (ANALYST, Role.MEMBER, "Civil Society Network for Peace", "a.solden@csn.example.org",
     Constituency.CIVIL_SOCIETY),
    (EXPERT, Role.MEMBER, "Lorvania Human Rights Commission", "p.vale@lhrc.example.org",
     Constituency.NHRI),
)

# (key, name, level, code, parent key, notes)
_AREAS = (
    ("velmora", "Velmora", "region", "XL-VE", None,
     "Northern highland region along the border; most incidents of the period occur here."),
    ("dravik", "Dravik", "district", "XL-VE-01", "velmora",
     "Border district with a majority of Dravi herders; scene of clashes with armed groups."),
    ("ostrel", "Ostrel", "district", "XL-VE-02", "velmora",
     "Mixed district; village self-defence groups reported since last year."),
    ("kesh", "Kesh Valley", "district", "XL-VE-03", "velmora",
     "Grazing land and a planned mining concession; Selvan and Taleni communities."),
    ("saranne", "Saranne", "region", "XL-SA", None, "Central region around the capital."),
    ("lorvan", "Lorvan City", "district", "XL-SA-01", "saranne", "The capital."),
    ("mirel", "Mirel", "district", "XL-SA-02", "saranne",
     "Hosts the largest transit site for persons displaced from Velmora."),
    ("ayen", "Ayen Coast", "region", "XL-AY", None, "Southern coastal region."),
    ("port_ayen", "Port Ayen", "district", "XL-AY-01", "ayen", "Port city and regional capital."),
    ("orrin", "Orrin Delta", "district", "XL-AY-02", "ayen",
     "Wetlands inhabited by Taleni Indigenous communities."),
)

# (key, name, taxonomy kind, description)
_GROUPS = (
    ("dravi", "Dravi people", "ethnical",
     "Ethnic minority of herders in the northern highlands, with its own language."),
    ("selvan", "Selvan religious community", "religious",
     "Religious minority concentrated in Kesh Valley and Lorvan City."),
    ("idps", "Persons displaced from Velmora", "displaced_persons",
     "About 14,000 persons who fled the northern districts, most of them in Mirel."),
    ("taleni", "Taleni Indigenous communities", "indigenous_peoples",
     "Indigenous communities of the Orrin Delta and the upper Kesh Valley."),
    ("defenders", "Human rights defenders and community monitors", "human_rights_defenders",
     "Monitors of the Civil Society Network and local lawyers in the northern districts."),
    ("journalists", "Journalists and local media workers", "journalists",
     "Reporters covering the northern districts, including Dravi-language radio."),
    ("children", "Children in displacement sites", "children_youth",
     "School-age children in the Mirel transit site and host villages."),
)

_FocalPoints = tuple[tuple[str, str, str], ...]
# (key, name, acronym, kind, e-mail, notes, focal points: (name, title, e-mail))
_INSTITUTIONS: tuple[tuple[str, str, str, InstitutionKind, str, str, _FocalPoints], ...] = (
    ("moj", "Ministry of Justice", "MOJ", InstitutionKind.MINISTRY, "info@justice.example.org",
     "Leads on legislation, prosecution policy and the commission of inquiry.",
     (("Daria Okonel", "Director of Human Rights Affairs", "d.okonel@justice.example.org"),
      ("Felix Armand", "Legal Adviser", "f.armand@justice.example.org"))),
    ("moi", "Ministry of the Interior", "MOI", InstitutionKind.MINISTRY,
     "info@interior.example.org", "Public order, state of emergency, civil registration.",
     (("Ruben Tesker", "Head of the Crisis Unit", "r.tesker@interior.example.org"),)),
    ("mod", "Ministry of Defence", "MOD", InstitutionKind.MINISTRY, "info@defence.example.org",
     "Armed forces deployed in Velmora under the state of emergency.",
     (("Col. Ivana Brael", "Legal Adviser to the General Staff", "i.brael@defence.example.org"),)),
    ("moe", "Ministry of Education", "MOE", InstitutionKind.MINISTRY,
     "info@education.example.org", "Schools in conflict-affected districts; curricula.",
     (("Samuel Orlo", "Director of Curricula", "s.orlo@education.example.org"),)),
    ("police", "Lorvanian National Police", "LNP", InstitutionKind.AGENCY,
     "contact@police.example.org", "Regional command in Velmora.",
     (("Supt. Maren Holt", "Commander, Velmora Region", "m.holt@police.example.org"),
      ("Insp. Tobias Renn", "Human Rights Liaison Officer", "t.renn@police.example.org"))),
    ("displacement", "National Agency for Displaced Persons", "NADP", InstitutionKind.AGENCY,
     "info@nadp.example.org", "Runs the Mirel transit site.",
     (("Lina Vasquel", "Site Coordinator, Mirel", "l.vasquel@nadp.example.org"),)),
    ("statistics", "National Statistics Office", "NSO", InstitutionKind.AGENCY,
     "info@stats.example.org", "Prepares next year's census.",
     (("Hugo Staner", "Census Director", "h.staner@stats.example.org"),)),
    ("parliament", "Standing Committee on Human Rights, National Assembly", "SCHR",
     InstitutionKind.PARLIAMENT, "schr@assembly.example.org", "",
     (("Hon. Clara Delvin", "Chair of the Standing Committee", "c.delvin@assembly.example.org"),)),
    ("court", "Supreme Court of Lorvania", "SCL", InstitutionKind.JUDICIARY,
     "registry@court.example.org", "",
     (("Nadia Pereth", "Registrar", "n.pereth@court.example.org"),)),
    ("nhri", "Lorvania Human Rights Commission", "LHRC", InstitutionKind.NHRI,
     "info@lhrc.example.org", "National human rights institution; runs a complaints office.",
     (("Omar Keddel", "Commissioner", "o.keddel@lhrc.example.org"),
      ("Ines Farrow", "Head, Atrocity Prevention Desk", "i.farrow@lhrc.example.org"))),
    ("regional", "Meridian Union Commission (demo)", "MUC", InstitutionKind.REGIONAL_BODY,
     "secretariat@meridian.example.org", "Fictional regional organization; mediation envoy.",
     (("Amb. Teo Lindqvar", "Special Envoy for Velmora", "t.lindqvar@meridian.example.org"),)),
    ("unct", "UN Country Team (demo)", "UNCT", InstitutionKind.UN_ENTITY,
     "unct@un-demo.example.org", "Described generically for the demo.",
     (("Grace Tembarlen", "Human Rights Adviser", "g.arlen@un-demo.example.org"),)),
    ("csn", "Civil Society Network for Peace", "CSN", InstitutionKind.CIVIL_SOCIETY,
     "network@csn.example.org", "Thirty member organizations; community monitors in Velmora.",
     (("Yusuf Calder", "Coordinator", "y.calder@csn.example.org"),)),
)

# (key, title, kind, reliability, credibility, confidentiality, days ago, identity, reference)
_SOURCES = (
    ("courier", "The Lorvan Courier, regional news coverage", SourceKind.OPEN_MEDIA, "B", 3,
     Confidentiality.PUBLIC, 20, "", "Daily newspaper; northern correspondent in Dravik."),
    ("csn_report", "Civil Society Network monitoring reports",
     SourceKind.CIVIL_SOCIETY_REPORT, "B", 2, Confidentiality.PUBLIC, 35, "",
     "Incident logs of community monitors in Velmora."),
    ("interior", "Ministry of the Interior displacement and security figures", SourceKind.OFFICIAL,
     "A", 2, Confidentiality.RESTRICTED, 50, "", "Shared with the committee under its mandate."),
    ("mission", "Committee field mission to Velmora", SourceKind.FIELD_MISSION, "A", 1,
     Confidentiality.RESTRICTED, 70, "", "Interviews in Dravik, Ostrel and the Mirel site."),
    ("informant", "Community informant, Ostrel district", SourceKind.CONFIDENTIAL_INFORMANT, "C", 3,
     Confidentiality.CONFIDENTIAL, 12,
     "Schoolteacher in an Ostrel village, contacted through the CSN coordinator (demo).", ""),
    ("observatory", "Media Observatory monitoring of social media", SourceKind.OPEN_MEDIA, "D", 4,
     Confidentiality.PUBLIC, 8, "", "Automated collection of public posts; unverified."),
    ("lhrc_data", "Human Rights Commission complaints data", SourceKind.OFFICIAL, "A", 2,
     Confidentiality.PUBLIC, 40, "", "Quarterly complaint statistics by district."),
)

# --- risk assessments -------------------------------------------------------------------------

N, L, M, H, S = Level.NOT_PRESENT, Level.LOW, Level.MODERATE, Level.HIGH, Level.SEVERE
LEVEL_ORDER = tuple(Level)

# A risk factor ("RF7") or an indicator ("7.5"): level in the previous and the latest national
# assessment, confidence, and the evidence for each.
_RATINGS: tuple[tuple[str, Level, Level, Confidence, str, str], ...] = (
    ("RF1", M, H, Confidence.HIGH,
     "Sporadic clashes between the security forces and the Highland Defence Front in Dravik.",
     ("Clashes became more frequent in Dravik and Ostrel, with armed groups recruiting along the "
      "northern border; two district roads were closed for several weeks.")),
    ("RF2", M, M, Confidence.MEDIUM,
     ("Allegations of arbitrary detention and ill-treatment during the unrest of the previous "
      "decade remain unresolved; few prosecutions."),
     "No change: the commission of inquiry's report is unpublished and no new case was opened."),
    ("RF3", M, M, Confidence.MEDIUM,
     "Courts in the northern districts are understaffed; case backlogs exceed two years.",
     ("Backlogs unchanged; two district courts in Velmora sat only part-time because of "
      "insecurity.")),
    ("RF4", L, M, Confidence.MEDIUM,
     "Competition over grazing land in Kesh Valley, mostly handled by local councils.",
     ("The award of the Kesh Valley mining concession sharpened land disputes; local politicians "
      "now frame them in ethnic terms.")),
    ("RF5", M, H, Confidence.LOW,
     "Small arms from earlier conflicts remain in circulation in the north.",
     ("Reports of new weapons reaching village self-defence groups in Ostrel, and of local "
      "officials tolerating their patrols.")),
    ("RF6", L, L, Confidence.HIGH,
     "An active civil society and a functioning Human Rights Commission mitigate the risk.",
     "Mitigating factors hold; the regional body's envoy visited Velmora twice in the period."),
    ("RF7", M, H, Confidence.HIGH,
     "A state of emergency with curfews and checkpoints applies in Dravik and Ostrel.",
     ("The state of emergency was extended to Kesh Valley; mobile internet was restricted for "
      "nine days; access to displacement sites needs prior authorization.")),
    ("RF8", M, H, Confidence.MEDIUM,
     "The census planned for next year includes contested questions on ethnicity and religion.",
     ("Campaigning for local elections has begun; inflammatory speeches were recorded at two "
      "rallies in Kesh Valley; the census questions are still disputed.")),
    ("RF9", M, H, Confidence.MEDIUM,
     ("Long-standing grievances of the Dravi over land and language; two acts of vandalism "
      "against Selvan places of worship."),
     ("Vandalism against Selvan places of worship and hostile rhetoric against Dravi herders "
      "increased; no mechanism mediates land disputes yet.")),
    ("RF10", N, L, Confidence.MEDIUM,
     "No indication of an intent to destroy any group.",
     ("Isolated online calls to 'clear the valley' of Dravi herders; no sign that they are "
      "organized or endorsed by any authority.")),
    ("RF11", N, N, Confidence.MEDIUM,
     "No pattern of attacks against a civilian population identified.",
     "Still no pattern identified; incidents in Dravik remain under close watch."),
    ("RF12", L, N, Confidence.MEDIUM,
     "Unverified reports of lists of Selvan community leaders held by self-defence groups.",
     "The field mission found no evidence of the reported lists; the rating is lowered."),
    ("RF13", M, H, Confidence.MEDIUM,
     "Both parties accused of using schools in Dravik for military purposes.",
     ("Reports of ill-treatment of detained fighters and of civilians perceived as supporting the "
      "armed group; roadblocks delayed medical evacuations.")),
    ("RF14", M, L, Confidence.HIGH,
     "Two aid convoys stopped at checkpoints; one aid worker briefly detained.",
     ("The access arrangement mediated by the Meridian Union envoy cut checkpoint delays; no "
      "incident against aid workers was reported.")),
    ("7.1", M, H, Confidence.HIGH,
     ("Emergency decree in Dravik and Ostrel: curfew, checkpoints, detention without charge for "
      "up to ten days."),
     "The decree was extended twice and widened to Kesh Valley without parliamentary debate."),
    ("7.5", L, H, Confidence.LOW,
     "Unarmed village watch groups in some Ostrel villages.",
     "Village self-defence groups in Ostrel now carry firearms and man their own checkpoints."),
    ("7.6", N, M, Confidence.HIGH,
     "No restriction on communications.",
     "Mobile internet was cut in Velmora for nine days after the Ostrel clashes."),
    ("7.7", L, M, Confidence.MEDIUM,
     "Occasional delays in permits for NGOs visiting the north.",
     "Two journalists were refused accreditation; NGOs need permits to enter displacement sites."),
    ("7.10", M, M, Confidence.HIGH,
     "About 11,000 persons displaced from Dravik and Ostrel.",
     "About 14,000 persons displaced; eviction notices served at the Mirel transit site."),
    ("8.7", M, H, Confidence.MEDIUM,
     "Derogatory broadcasts about the Dravi on a regional radio station.",
     "Calls to violence against Dravi herders at election rallies, widely shared online."),
    ("8.8", M, H, Confidence.MEDIUM,
     "Consultation on the census questionnaire is divisive.",
     "Local election campaign under way in Velmora; census questions still disputed."),
    ("8.10", L, M, Confidence.HIGH,
     "Exploration for minerals in Kesh Valley announced.",
     "Mining concession awarded without consultation of Taleni and Dravi communities."),
    ("9.1", M, M, Confidence.MEDIUM,
     "The language law limits the use of Dravi in schools and local administration.",
     "No change to the language law; a textbook revision would remove Dravi-language content."),
    ("9.4", M, H, Confidence.MEDIUM,
     "Disputes over grazing land between Dravi herders and settler farmers.",
     "Land disputes turned violent twice in Kesh Valley; both sides invoke ethnic identity."),
    ("13.5", L, M, Confidence.LOW,
     "No dehumanizing language by the parties recorded.",
     "Social media accounts close to self-defence groups call Dravi herders 'vermin'."),
    ("13.8", M, L, Confidence.HIGH,
     "Convoys to Dravik delayed for days at checkpoints.",
     "Convoys now pass within a day under the access arrangement."),
)

# What the regional (Velmora) assessment rates differently from the latest national one.
_REGIONAL: dict[str, tuple[Level, str]] = {
    "RF1": (S, ("Near-daily armed clashes in Dravik and Ostrel in the last two months of the "
                "period; the field mission counted at least 40 deaths, civilians among them.")),
    "RF3": (H, "Two of three district courts sat part-time; no public prosecutor in Dravik."),
    "RF7": (S, ("Armed self-defence groups multiplied in Ostrel and Kesh Valley under the extended "
                "state of emergency.")),
    "RF14": (M, "Convoys to Dravik still need an armed escort beyond the regional capital."),
    "7.5": (S, "At least six armed self-defence groups operate in Ostrel and Kesh Valley."),
}
_REGIONAL_DEFAULT = "Consistent with the national assessment for the same period."

# (code, previous, latest, note on the previous, note on the latest)
_RESILIENCE: tuple[tuple[str, Strength, Strength, str, str], ...] = (
    ("INH1", Strength.MODERATE, Strength.WEAK,
     "Police vetting programme under way in Velmora.",
     "Vetting stalled; complaints against the rapid intervention unit not investigated."),
    ("INH2", Strength.MODERATE, Strength.MODERATE,
     "The electoral commission is independent and trusted.",
     "The electoral commission remains independent, but its funding came late."),
    ("INH3", Strength.MODERATE, Strength.MODERATE,
     "The Human Rights Commission handles complaints in all regions.",
     "The Commission opened a field office in Dravik; courts in the north still understaffed."),
    ("INH4", Strength.WEAK, Strength.MODERATE,
     "An interim early warning procedure exists; responses are slow and not tracked.",
     "The early warning procedure was adopted; most warnings were answered."),
    ("INH5", Strength.MODERATE, Strength.WEAK,
     "Councils of elders mediate grazing disputes in Kesh Valley.",
     "The councils of elders no longer meet across communities."),
    ("INH6", Strength.MODERATE, Strength.MODERATE,
     "The public broadcaster runs a fact-checking unit.",
     "Fact-checking continues; Dravi-language radio under pressure from local officials."),
    ("INH7", Strength.WEAK, Strength.WEAK,
     "The commission of inquiry on past detentions has not reported.",
     "The commission's report is complete but unpublished."),
)

# Rating code -> (groups, areas, sources) it concerns.
_RATING_LINKS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "RF1": ((), ("dravik", "ostrel"), ("mission", "courier")),
    "RF9": (("dravi", "selvan"), ("kesh",), ("csn_report", "lhrc_data")),
    "RF13": (("idps",), ("dravik",), ("mission",)),
    "7.1": ((), ("velmora", "kesh"), ("interior",)),
    "7.5": (("dravi",), ("ostrel",), ("informant",)),
    "7.7": (("journalists", "defenders"), ("velmora",), ("csn_report",)),
    "7.10": (("idps", "children"), ("dravik", "mirel"), ("interior", "mission")),
    "8.7": (("dravi", "selvan"), ("kesh",), ("observatory", "courier")),
    "9.4": (("dravi", "taleni"), ("kesh",), ("csn_report",)),
    "13.8": (("idps",), ("dravik",), ("mission",)),
}

# --- early warnings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Warning:
    key: str
    title: str
    status: WarningStatus
    severity: Severity
    likelihood: Likelihood
    horizon: Horizon
    observed: int  # days relative to today
    issued: int | None
    description: str
    actions: str
    addressees: tuple[str, ...]
    areas: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    factors: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    closed: int | None = None
    resolution: Resolution | None = None
    resolution_note: str = ""
    confidential: bool = False
    author: str = ANALYST


W = WarningStatus
_WARNINGS = (
    _Warning(
        "schools", "Armed personnel occupying schools in Dravik district", W.CLOSED,
        Severity.HIGH, Likelihood.LIKELY, Horizon.WEEKS, -425, -420,
        "Fighting between the security forces and the Highland Defence Front took place near "
        "three primary schools in Dravik; two schools were occupied by armed personnel.",
        "Order the immediate vacation of school premises; arrange temporary learning spaces.",
        ("mod", "moe", "nhri"), ("dravik",), ("children",), ("8.1",), (1, 13),
        ("courier", "mission"), -330, Resolution.RESOLVED,
        "Both schools were vacated and reopened; the field mission saw no new occupation.",
        author=EXPERT),
    _Warning(
        "convoys", "Aid convoys stopped at checkpoints on the Ostrel road", W.CLOSED,
        Severity.HIGH, Likelihood.LIKELY, Horizon.WEEKS, -306, -300,
        "Convoys carrying food and medicine to Dravik were held for up to four days at "
        "checkpoints; a driver was detained overnight.",
        "Instruct checkpoint commanders to let humanitarian convoys pass within the day.",
        ("moi", "mod", "unct"), ("ostrel", "dravik"), ("idps",), ("7.7", "13.8"), (7, 13, 14),
        ("csn_report",), -240, Resolution.ESCALATED,
        "Delays continued after the deadline; referred to the Meridian Union envoy, whose "
        "mediation produced the access arrangement."),
    _Warning(
        "radio", "Derogatory broadcasts about the Dravi on regional radio", W.CLOSED,
        Severity.MODERATE, Likelihood.POSSIBLE, Horizon.MONTHS, -270, -265,
        "A regional station repeatedly described Dravi herders as 'invaders' during the census "
        "consultation.",
        "Broadcasting regulator to review the programmes; public statement against incitement.",
        ("moj", "parliament"), ("velmora",), ("dravi",), ("8.7", "8.8"), (8, 9), ("courier",),
        -180, Resolution.OVERTAKEN_BY_EVENTS,
        "The station lost its licence for unrelated reasons before any review took place."),
    _Warning(
        "selfdefence", "Armed self-defence groups patrolling villages in Ostrel",
        W.RESPONSE_UNDER_WAY, Severity.HIGH, Likelihood.LIKELY, Horizon.WEEKS, -158, -150,
        "Armed men from village self-defence groups man checkpoints and check identity papers; "
        "Dravi residents report being turned away from markets.",
        "Disarm the groups, investigate the supply of weapons, deploy mixed police patrols.",
        ("moi", "police", "mod"), ("ostrel",), ("dravi",), ("7.4", "7.5"), (5, 7),
        ("informant", "mission"), confidential=True),
    _Warning(
        "evictions", "Eviction notices at the Mirel transit site", W.RESPONSE_UNDER_WAY,
        Severity.MODERATE, Likelihood.POSSIBLE, Horizon.MONTHS, -97, -95,
        "About 2,300 displaced persons were told to leave the Mirel site within a month, with no "
        "alternative site ready.",
        "Suspend the relocation; consult residents; prepare a serviced alternative site.",
        ("displacement", "moi"), ("mirel",), ("idps", "children"), ("7.10",), (7, 9),
        ("interior", "csn_report")),
    _Warning(
        "mining", "Protests against the Kesh Valley mining concession", W.ACKNOWLEDGED,
        Severity.MODERATE, Likelihood.POSSIBLE, Horizon.MONTHS, -63, -60,
        "Taleni and Dravi communities blocked the access road to the concession; counter-"
        "demonstrators threatened to remove the blockade by force.",
        "Open a dialogue with the communities; suspend works pending consultation.",
        ("moi", "nhri"), ("kesh",), ("taleni", "dravi"), ("8.10", "9.4"), (4, 8, 9),
        ("courier", "csn_report")),
    _Warning(
        "journalists", "Threats against journalists covering the northern clashes", W.ACKNOWLEDGED,
        Severity.HIGH, Likelihood.LIKELY, Horizon.WEEKS, -42, -40,
        "Three reporters received death threats after covering the Ostrel clashes; the office "
        "of a Dravi-language radio was searched without a warrant.",
        "Investigate the threats; give journalists a rapid-response police contact.",
        ("moj", "police"), ("ostrel", "dravik"), ("journalists",), ("7.6", "7.7", "8.5"), (7, 8),
        ("csn_report", "lhrc_data")),
    _Warning(
        "rallies", "Calls to violence against Dravi herders at election rallies", W.ISSUED,
        Severity.CRITICAL, Likelihood.VERY_LIKELY, Horizon.IMMINENT, -27, -25,
        "A candidate called on supporters to 'clear the valley' of Dravi herders; armed men were "
        "seen at the following rally.",
        "Open an investigation for incitement; reinforce police presence at rallies; public "
        "statement by the Government.",
        ("moj", "moi", "police"), ("kesh",), ("dravi",), ("8.7", "8.8", "13.5"), (8, 9, 10),
        ("observatory", "courier"), author=CHAIR),
    _Warning(
        "worship", "Vandalism against Selvan places of worship", W.ISSUED,
        Severity.MODERATE, Likelihood.POSSIBLE, Horizon.MONTHS, -6, -5,
        "Two Selvan prayer houses in Kesh Valley were defaced with threatening slogans.",
        "Protect places of worship; investigate; meeting with religious leaders.",
        ("police", "moi"), ("kesh",), ("selvan",), ("8.6", "9.1"), (8, 9), ("lhrc_data",)),
    _Warning(
        "textbooks", "Textbook revision removing Dravi-language content", W.DRAFT,
        Severity.LOW, Likelihood.UNLIKELY, Horizon.MONTHS, -3, None,
        "Draft primary school textbooks drop the Dravi-language reading sections.",
        "Consult Dravi teachers before the textbooks are printed.",
        ("moe",), ("velmora",), ("dravi", "children"), ("9.2",), (9,), ("csn_report",)),
    _Warning(
        "registration", "Local officials listing Selvan residents in Ostrel", W.DRAFT,
        Severity.HIGH, Likelihood.POSSIBLE, Horizon.WEEKS, -1, None,
        "An informant reports that village officials are compiling lists of Selvan households; "
        "the purpose is unknown. Not yet verified.",
        "Verify urgently through the field team before issue.",
        ("moi", "nhri"), ("ostrel",), ("selvan",), ("7.8", "9.1"), (7, 12), ("informant",),
        confidential=True),
)

R = ResponseKind
# (warning, institution, day, kind, what was done, outcome)
_RESPONSES = (
    ("schools", "mod", -417, R.ACKNOWLEDGEMENT, "Receipt acknowledged by the General Staff.", ""),
    ("schools", "mod", -400, R.ACTION, "Order issued to vacate all school premises.",
     "Both schools vacated within ten days."),
    ("schools", "moe", -380, R.ACTION, "Temporary learning spaces set up for 600 pupils.",
     "Classes resumed; schools reopened after repairs."),
    ("convoys", "moi", -296, R.ACKNOWLEDGEMENT, "Receipt acknowledged.", ""),
    ("convoys", "unct", -280, R.ACTION, "Negotiated a convoy notification procedure.",
     "Delays shortened but continued."),
    ("radio", "parliament", -250, R.ACKNOWLEDGEMENT, "Referred to the Standing Committee.", ""),
    ("radio", "moj", -220, R.ACTION, "Asked the regulator to review the broadcasts.",
     "No review before the licence lapsed."),
    ("selfdefence", "moi", -146, R.ACKNOWLEDGEMENT, "Receipt acknowledged.", ""),
    ("selfdefence", "police", -120, R.ACTION, "Joint police and army patrols in Ostrel.",
     "Two groups disarmed; at least three remain active."),
    ("evictions", "displacement", -90, R.ACKNOWLEDGEMENT, "Receipt acknowledged.", ""),
    ("evictions", "displacement", -70, R.ACTION, "Relocation suspended pending consultation.",
     "Consultations held in all site blocks; plan under revision."),
    ("mining", "nhri", -55, R.ACKNOWLEDGEMENT, "Commission to send monitors to the blockade.", ""),
    ("journalists", "moj", -36, R.ACKNOWLEDGEMENT, "Receipt acknowledged; prosecutor told.", ""),
)

# (warning, day, severity before, severity after, reason)
_ESCALATIONS = (
    ("convoys", -290, Severity.MODERATE, Severity.HIGH,
     "A second convoy was stopped and its driver detained overnight."),
    ("selfdefence", -140, Severity.MODERATE, Severity.HIGH,
     "The informant and the field team report weapons reaching the groups from outside."),
    ("rallies", -22, Severity.HIGH, Severity.CRITICAL,
     "The speech was shared widely and armed men attended the next rally."),
)

# Which warnings each assessment cites as evidence.
_ASSESSMENT_WARNINGS = {
    "previous": ("schools", "convoys"),
    "latest": ("convoys", "radio", "selfdefence", "evictions"),
    "regional": ("selfdefence", "mining", "journalists"),
}

# --- recommendations --------------------------------------------------------------------------

_Update = tuple[int, RecStatus, str]  # day, status, narrative
P = RecStatus


@dataclass(frozen=True)
class _Rec:
    key: str  # the catalogue id for an adopted SG recommendation
    text: str  # empty: the catalogue text
    lead: str
    priority: Priority
    made: int
    due: int | None
    updates: tuple[_Update, ...] = ()
    supporters: tuple[str, ...] = ()
    factors: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    assessments: tuple[str, ...] = ()
    source: RecSource = RecSource.CATALOGUE
    reference: str = ""


HI, MED, LO = Priority.HIGH, Priority.MEDIUM, Priority.LOW
_CATALOGUE_RECS = (
    _Rec("2015-MS-03", "", "moj", HI, -720, -180, (
        (-600, P.IN_PROGRESS, "Inter-ministerial working group set up by decree."),
        (-300, P.PARTIALLY_IMPLEMENTED,
         "Risk assessment method adopted; the action plan awaits Cabinet approval."),
    ), ("moi", "nhri"), (6,)),
    _Rec("2013-MS-07", "", "moj", HI, -540, 20, (
        (-420, P.IN_PROGRESS, "Draft guidelines for prosecutors on incitement circulated."),
        (-150, P.IN_PROGRESS, ("Guidelines revised after consultation with journalists' "
                               "associations; training of prosecutors in Velmora planned.")),
    ), ("moe", "csn"), (8, 9), ("radio", "rallies")),
    _Rec("2013-MS-08", "", "moe", MED, -540, 200, (), ("csn",), (9,), ("textbooks",)),
    _Rec("2014-MS-04", "", "nhri", MED, -500, -60, (
        (-380, P.IN_PROGRESS, "Sex and age added to the committee's incident form."),
        (-90, P.PARTIALLY_IMPLEMENTED,
         "Disaggregated data collected in Velmora, not yet in the other regions."),
    ), ("unct",)),
    _Rec("2015-MS-08", "", "moi", HI, -700, -200, (
        (-650, P.IN_PROGRESS, "Interim early warning procedure agreed with the committee."),
        (-500, P.PARTIALLY_IMPLEMENTED, "Interim procedure used; deadlines not tracked."),
        (-260, P.IMPLEMENTED, "Procedure adopted by decree; warnings tracked with deadlines."),
    ), ("nhri", "unct"), (7, 8)),
    _Rec("2016-MS-04", "", "moj", HI, -730, -365, (
        (-700, P.IN_PROGRESS, "Ministries asked to designate focal points."),
        (-400, P.IMPLEMENTED, "Focal points designated in eleven ministries and agencies."),
    )),
    _Rec("2017-MS-04", "", "parliament", MED, -450, -20, (
        (-300, P.IN_PROGRESS, "The Standing Committee agreed in principle to an annual debate."),
        (-100, P.NOT_IMPLEMENTED, ("The debate was dropped from the session's calendar; no new "
                                   "date was set.")),
    ), ("nhri",)),
    _Rec("2017-MS-06", "", "nhri", MED, -450, 120, (
        (-200, P.IN_PROGRESS, "The Commission opened an atrocity prevention desk with two staff."),
    )),
    _Rec("2018-MS-05", "", "moj", HI, -600, 10, (
        (-550, P.IN_PROGRESS, "Half-yearly assessment cycle proposed."),
        (-330, P.IN_PROGRESS, "Cycle adopted by the committee; the first assessment under way."),
        (-150, P.IMPLEMENTED, "First half-yearly assessment validated; the second under way."),
    ), ("nhri", "unct"), (), (), ("previous", "latest")),
    _Rec("2019-MS-06", "", "nhri", MED, -400, 300),
    _Rec("2020-MS-09", "", "moi", MED, -400, -10, (
        (-250, P.IN_PROGRESS, ("Three national indicators on sexual and gender-based violence "
                               "proposed to the committee.")),
    ), ("nhri",), (7,)),
    _Rec("2021-MS-06", "", "moj", HI, -300, 25, (
        (-60, P.IN_PROGRESS, "Hate speech monitoring unit set up in the prosecution service."),
    ), ("csn",), (8,), ("rallies", "journalists")),
    _Rec("2009-MS-09", "", "regional", LO, -500, None, (
        (-450, P.NOT_APPLICABLE, ("The Meridian Union has no peer review mechanism of this "
                                  "kind; its periodic review is followed under other items.")),
    )),
    _Rec("2023-MS-07", "", "mod", HI, -250, -5, (
        (-150, P.IN_PROGRESS, "Vetting of units deployed in Velmora started."),
        (-40, P.IN_PROGRESS, ("Vetting suspended in Ostrel because of insecurity, resumed "
                              "elsewhere.")),
    ), ("police", "parliament"), (5, 13), ("selfdefence",)),
    _Rec("2024-MS-03", "", "moj", MED, -180, 90, (
        (-30, P.IN_PROGRESS, "A regional assessment for Velmora was added to the cycle."),
    ), (), (), (), ("latest", "regional")),
)

_OWN_RECS = (
    _Rec("k1", "Lift the restrictions on mobile internet in Velmora and publish the legal basis "
         "and duration of any future restriction.", "moi", HI, -150, -100, (
             (-120, P.NOT_IMPLEMENTED, ("The Ministry replied that the restrictions remain "
                                        "necessary for security reasons.")),
             (-60, P.PARTIALLY_IMPLEMENTED, "Restrictions lifted; no legal basis published."),
         ), (), (7,), ("journalists",), ("latest",), RecSource.COMMITTEE),
    _Rec("k2", "Disarm the village self-defence groups in Ostrel and investigate the supply of "
         "weapons to them.", "police", HI, -145, -60, (
             (-120, P.IN_PROGRESS, ("Two groups disarmed; an investigation into the weapons "
                                    "supply was opened.")),
         ), ("mod", "moi"), (5, 7), ("selfdefence",), ("latest", "regional"), RecSource.COMMITTEE),
    _Rec("k3", "Suspend the relocation of displaced persons from the Mirel transit site until "
         "residents are consulted and a serviced alternative site is ready.", "displacement",
         HI, -90, -45, (
             (-75, P.IN_PROGRESS, "Relocation suspended."),
             (-20, P.IMPLEMENTED, ("Consultations held in all site blocks; the plan was revised "
                                   "with the residents' committees.")),
         ), ("unct", "nhri"), (7,), ("evictions",), (), RecSource.COMMITTEE),
    _Rec("k4", "Adopt a protocol for the protection of journalists in the northern districts, "
         "with a rapid-response police contact.", "police", MED, -35, 15, (),
         ("moj", "csn"), (7,), ("journalists",), (), RecSource.COMMITTEE),
    _Rec("k5", "Establish a land mediation mechanism for Kesh Valley with equal representation "
         "of Dravi herders, settler farmers and Taleni communities.", "moj", MED, -200, 150, (
             (-100, P.IN_PROGRESS, "Terms of reference agreed with the regional council."),
         ), ("nhri", "csn", "regional"), (4, 9), ("mining",), ("latest",), RecSource.COMMITTEE),
    _Rec("k6", "Make the census questions on ethnicity and religion voluntary, after consulting "
         "the groups concerned.", "statistics", HI, -260, -100, (
             (-200, P.IN_PROGRESS, "Consultation held with community representatives."),
             (-110, P.PARTIALLY_IMPLEMENTED, ("The religion question is now voluntary; the "
                                              "ethnicity question is not.")),
         ), ("nhri",), (8,), ("radio",), ("previous",), RecSource.COMMITTEE),
    _Rec("k7", "Publish the report of the commission of inquiry into detentions during the "
         "earlier unrest.", "moj", MED, -400, -200, (
             (-350, P.IN_PROGRESS, "The commission handed its report to the Minister."),
             (-220, P.NOT_IMPLEMENTED, ("The Ministry treats the report as classified; no "
                                        "publication date.")),
         ), ("parliament",), (2,), (), ("previous",), RecSource.COMMITTEE),
    _Rec("u1", "Strengthen the independence and resources of the national human rights "
         "institution in line with the Paris Principles.", "parliament", MED, -500, -30, (
             (-400, P.IN_PROGRESS, "Budget of the Commission increased by 12 per cent."),
             (-120, P.PARTIALLY_IMPLEMENTED, ("Budget increased; commissioners are still "
                                              "appointed by the executive.")),
         ), ("nhri",), (6,), (), (), RecSource.UPR, "UPR cycle (demo)"),
    _Rec("u2", "Ensure prompt and impartial investigations into allegations of excessive use of "
         "force by the security forces in the northern region.", "moj", HI, -500, 60, (
             (-300, P.IN_PROGRESS, "A special prosecutor for Velmora was appointed."),
         ), ("police", "court"), (2, 13), (), (), RecSource.UPR, "UPR cycle (demo)"),
    _Rec("t1", "Ensure that displaced persons can register for public services and vote at "
         "their place of displacement.", "displacement", MED, -365, 25, (
             (-250, P.IN_PROGRESS, "Registration desks opened at the Mirel transit site."),
         ), ("moi", "statistics"), (9,), (), (), RecSource.TREATY_BODY,
         "Treaty body concluding observations (demo)"),
)
