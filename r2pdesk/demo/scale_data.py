"""The words of the large fictional database (`r2pdesk.demo.scale`): places, people, kinds of
warning with the indicators they show, recommendations and their follow-up, all invented for the
demo country, Lorvania. Indicator codes and risk factor numbers are the Framework of Analysis's
(resources/data/foa-2014.json); group keys are the small demo's (`r2pdesk.demo.data`)."""

from __future__ import annotations

from dataclasses import dataclass

from r2pdesk.earlywarning.models import Resolution, ResponseKind, WarningStatus
from r2pdesk.institutions.models import InstitutionKind
from r2pdesk.recommendations.models import RecStatus

W, P = WarningStatus, RecStatus

_ONSETS = ("Ar", "Bel", "Cor", "Dal", "Ess", "Fen", "Gal", "Hal", "Ir", "Jor", "Kal", "Lun",
           "Mar", "Nor", "Orv", "Pel", "Quen", "Ros", "Sal", "Tor", "Ulm", "Vel", "Wen", "Yar",
           "Zel")
_CODAS = ("ad", "ak", "anne", "ar", "ava", "ek", "el", "en", "esh", "ia", "ik", "in", "ira",
          "is", "ok", "on", "ora", "os", "un", "yn")
# District area codes (demo areas), most incidents in the northern region.
_DISTRICTS = (("XL-VE-01", 5), ("XL-VE-02", 5), ("XL-VE-03", 4), ("XL-SA-01", 2),
              ("XL-SA-02", 2), ("XL-AY-01", 1), ("XL-AY-02", 2))
_GROUP_LABELS = {"dravi": "Dravi herders", "selvan": "Selvan residents",
                 "idps": "displaced families", "taleni": "Taleni communities",
                 "defenders": "community monitors", "journalists": "local journalists",
                 "children": "displaced children"}
_GIVEN = ("Adrian", "Alma", "Bruno", "Carla", "Dario", "Edda", "Elias", "Fiona", "Goran", "Hanna",
          "Ilya", "Irena", "Jakob", "Kira", "Lars", "Lena", "Marek", "Mira", "Nils", "Nora",
          "Oskar", "Petra", "Rafael", "Rina", "Sandor", "Sara", "Teodor", "Una", "Viktor", "Zora")
_FAMILY = ("Aldren", "Bexley", "Corvan", "Dremel", "Esken", "Farrow", "Galdre", "Hessel", "Ivren",
           "Jastrow", "Kelmar", "Lindor", "Mossen", "Narvel", "Orsk", "Pellan", "Quarrel", "Ravik",
           "Strand", "Tolvar", "Urbel", "Varn", "Wessel", "Yarrow", "Zemlin")


@dataclass(frozen=True)
class _Theme:
    """A kind of warning: its title, a detail, the indicators and risk factors it shows, the
    groups it concerns and what the committee asks for."""

    title: str
    detail: str
    codes: tuple[str, ...]
    factors: tuple[int, ...]
    groups: tuple[str, ...]
    action: str


_THEMES = (
    _Theme("Armed clashes near {place}, {district} district",
           "Exchanges of fire between the security forces and an armed group lasted {k} hours.",
           ("8.1",), (1,), ("dravi", "idps"),
           "Ensure that civilians can leave the area safely and report casualties."),
    _Theme("Threats against {group} in {place}",
           "Leaflets naming {k} families were left at the market; two houses were marked.",
           ("7.8", "13.7"), (9,), ("dravi", "selvan", "taleni"),
           "Deploy a police patrol to {place} and open an investigation into the leaflets."),
    _Theme("Incitement against {group} on local radio in {district}",
           "A talk show host called on listeners to 'deal with' {group} on {k} evenings.",
           ("8.7",), (9,), ("dravi", "selvan"),
           "Refer the broadcasts to the media regulator and issue a public statement."),
    _Theme("Arbitrary arrests of {group} in {district} district",
           "At least {k} persons were held without charge beyond the ten days the decree allows.",
           ("7.8", "7.1"), (2,), ("dravi", "defenders"),
           "Publish the list of detainees and bring each before a judge without delay."),
    _Theme("Displacement from {place} after attacks on homes",
           "About {k}0 families left for the Mirel transit site after homes were set on fire.",
           ("7.10",), (1,), ("idps", "children", "dravi"),
           "Register the displaced families and secure their property in {place}."),
    _Theme("Checkpoints delaying aid convoys to {place}",
           "Convoys waited up to {k} days at checkpoints on the district road.",
           ("13.8",), (14,), ("idps",),
           "Apply the humanitarian access arrangement at every checkpoint to {place}."),
    _Theme("Calls to violence against {group} at a rally in {place}",
           "Speakers called {group} 'intruders' before a crowd of about {k}00 people.",
           ("8.7", "13.7"), (9,), ("dravi", "selvan"),
           "Investigate the speeches and remind the parties of their code of conduct."),
    _Theme("Attack on a place of worship in {place}",
           "The building was vandalised during the night; the {k} guards saw no one.",
           ("8.6",), (9,), ("selvan",),
           "Protect places of worship in {district} district and prosecute those responsible."),
    _Theme("Armed group recruiting young men in {place}",
           "Community monitors reported {k} recruitment meetings in the past month.",
           ("7.5",), (5,), ("dravi", "children"),
           "Disarm the groups concerned and investigate how they are supplied."),
    _Theme("Eviction notices served on {group} in {place}",
           "{k}0 households were told to leave within a week, without an alternative site.",
           ("7.10", "9.1"), (9,), ("idps", "taleni"),
           "Suspend the evictions until the residents are consulted and rehoused."),
    _Theme("Mobile internet cut in {district} district",
           "The shutdown lasted {k} days and no legal basis was published.",
           ("7.6",), (), ("journalists", "defenders"),
           "Restore communications and publish the legal basis of any future restriction."),
    _Theme("Land dispute turns violent near {place}",
           "Herders and farmers clashed over grazing land; {k} people were injured.",
           ("9.4",), (4,), ("dravi", "taleni"),
           "Convene the district council with community leaders to mediate the dispute."),
    _Theme("Journalists refused access to {district} district",
           "{k} reporters were turned back at checkpoints without explanation.",
           ("7.7",), (), ("journalists",),
           "Grant accreditation to the journalists concerned and explain any refusal in writing."),
    _Theme("Emergency measures extended to {district} district",
           "The curfew now runs from 6 p.m.; detention without charge rose to {k} days.",
           ("7.1",), (3,), ("dravi",),
           "Review the emergency measures against human rights standards within the month."),
    _Theme("Weapons reaching self-defence groups in {place}",
           "Monitors counted {k} new rifles carried openly at village checkpoints.",
           ("7.4", "7.5"), (5,), ("dravi", "selvan"),
           "Trace the weapons and disarm the village groups under police supervision."),
    _Theme("Dehumanizing posts about {group} shared online",
           "Posts calling {group} 'vermin' were shared about {k} thousand times in a week.",
           ("13.5", "8.7"), (9,), ("dravi", "taleni"),
           "Ask the platforms to remove the posts and prosecute the instigators."),
    _Theme("Tension ahead of local elections in {district}",
           "Candidates traded accusations of fraud; {k} campaign offices were attacked.",
           ("8.8",), (1,), ("dravi", "selvan"),
           "Ask the electoral commission to deploy observers to {district} district."),
    _Theme("Mining project near {place} without consultation",
           "Surveyors arrived with an escort; {k} villages were not consulted.",
           ("8.10",), (4,), ("taleni", "dravi"),
           "Suspend the works until the communities concerned have been consulted."),
    _Theme("Commemoration march raises tension in {place}",
           "The march passed {k} Selvan homes; counter-protesters gathered.",
           ("8.11",), (9,), ("selvan", "dravi"),
           "Agree the route of future marches with community leaders and police."),
    _Theme("Violence against women reported near {place}",
           "The displacement site's clinic recorded {k} cases in the past fortnight.",
           ("7.9",), (13,), ("idps", "children"),
           "Open a protection desk at the site and investigate every case."),
)
_CONTEXT = (
    "Residents say the situation has worsened since the start of the month.",
    "The district council called for calm.",
    "Local officials have not commented publicly.",
    "Police presence in the area remains limited.",
    "The committee's contact in {district} confirmed the reports.",
    "Several families have left for neighbouring villages.",
    "Similar incidents were reported in {district} district last year.",
    "Community monitors continue to follow the situation daily.",
)
_OUTCOMES = {
    ResponseKind.ACKNOWLEDGEMENT: ("Receipt acknowledged; passed to the {district} office.", ""),
    ResponseKind.ACTION: ("Officers were sent to {place} and met community leaders.",
                          "The situation calmed; monitoring continues."),
}
_REASONS = {W.ISSUED: "Issued to the addressees.",
            W.ACKNOWLEDGED: "An addressee acknowledged receipt.",
            W.RESPONSE_UNDER_WAY: "An addressee reported a first action."}
_RESOLUTIONS = {
    Resolution.RESOLVED: "The measures taken answered the warning; no new incident reported.",
    Resolution.ESCALATED: "Referred to the regional envoy after the situation worsened.",
    Resolution.NO_ACTION_TAKEN: "No addressee acted on the warning; closed after review.",
    Resolution.OVERTAKEN_BY_EVENTS: "Overtaken by events after the clashes moved elsewhere.",
}
_REC_TEXTS = (
    "Investigate the attacks against {group} in {place} and publish the findings.",
    "Deploy community police officers to {place} and report on their work every quarter.",
    "Publish the legal basis and duration of any restriction of communications in {district}.",
    "Guarantee the safe passage of humanitarian convoys to {place}.",
    "Consult {group} before any relocation from {place}.",
    "Train district officials in {district} to recognise and answer incitement to violence.",
    "Establish a mediation mechanism for land disputes around {place}.",
    "Protect journalists and community monitors working in {district} district.",
    "Bring every person detained in {district} district before a judge within 48 hours.",
    "Fund the Human Rights Commission's field office in {district} for the next three years.",
    "Review school textbooks with representatives of {group}.",
    "Vet the members of the security forces deployed to {district} district.",
)
_NARRATIVES = {
    P.IN_PROGRESS: ("Work has begun: a focal point was appointed.",
                    "A working group met; draft terms of reference were shared.",
                    "A budget was requested for next year.",
                    "Officials in {district} were trained; more sessions are planned."),
    P.PARTIALLY_IMPLEMENTED: ("Measures were taken in {district}; other districts are not covered.",
                              "Adopted in part; the implementing regulation is pending."),
    P.IMPLEMENTED: ("Implemented; the committee verified it on a visit to {district}.",
                    "Completed and reported to the National Assembly."),
    P.NOT_IMPLEMENTED: ("No action reported; two reminders went unanswered.",
                        "The institution declined, citing security concerns."),
    P.NOT_APPLICABLE: ("Overtaken by events: the measure concerned was repealed.",),
}
# Next status of a recommendation's follow-up: (status, weight).
_NEXT_STATUS = {
    P.NOT_IMPLEMENTED: ((P.NOT_IMPLEMENTED, 6), (P.IN_PROGRESS, 4)),
    P.IN_PROGRESS: ((P.IN_PROGRESS, 50), (P.PARTIALLY_IMPLEMENTED, 35), (P.IMPLEMENTED, 10),
                    (P.NOT_APPLICABLE, 5)),
    P.PARTIALLY_IMPLEMENTED: ((P.PARTIALLY_IMPLEMENTED, 5), (P.IMPLEMENTED, 4), (P.IN_PROGRESS, 1)),
    P.IMPLEMENTED: ((P.IMPLEMENTED, 1),),
    P.NOT_APPLICABLE: ((P.NOT_APPLICABLE, 1),),
}
_INSTITUTIONS = (
    ("District council of {district}", InstitutionKind.OTHER),
    ("{district} district police command", InstitutionKind.AGENCY),
    ("{place} village council", InstitutionKind.OTHER),
    ("{place} community radio", InstitutionKind.CIVIL_SOCIETY),
    ("{place} women's association", InstitutionKind.CIVIL_SOCIETY),
    ("Human Rights Commission office, {place}", InstitutionKind.NHRI),
    ("{place} district court", InstitutionKind.JUDICIARY),
    ("Regional education office, {place}", InstitutionKind.AGENCY),
    ("{place} health centre", InstitutionKind.AGENCY),
    ("{place} youth network", InstitutionKind.CIVIL_SOCIETY),
)
_DOMAIN = "lorvania-demo.example.org"
_TITLES = ("Director", "Coordinator", "Head of office", "Legal adviser", "Secretary",
           "Protection officer", "Liaison officer")
