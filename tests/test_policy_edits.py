"""The policy held to single edits of the sample's YAML, as a leader makes them.

Each case edits one or two files, the playbook is validated as a pull request would be, and
the diff against the sample must give exactly the expected verdict (README, "Approval":
Lockerung, Prüfen, Umformulierung, Verschärfung, neutral) and exactly the expected
sentences with a verdict: no wrong verdict, no phantom sentence. Neutral sentences
(examples dropped to keep a path valid, a title) are not what this suite judges.
The expectations are written from the README's policy, not read from the code.
"""

# ruff: noqa: E501, RUF001  (German dashes; the table of edits quotes the YAML lines whole, one case a line)
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sales_playbook.changes.compare import compare
from sales_playbook.errors import PlaybookError
from sales_playbook.model.playbook import Playbook
from sales_playbook.source.check import check
from sales_playbook.source.validate import Memo

from .conftest import SAMPLE, TODAY

L, R, W, T, N = "loosening", "review", "wording", "tightening", ""
NO_EXAMPLES = ("<examples>", "")  # drops a path's examples (they pin the old bands)
NO_CASES = ("<cases>", "")  # drops an entry's cases (so do they)

RF = "escalation-paths/rabatt-freigabe.yml"
ZZ = "escalation-paths/zahlungsziel-freigabe.yml"
VV = "escalation-paths/vertragsvolumen-freigabe.yml"
NN = "non-negotiables/keine-nebenabreden.yml"
KL = "flexible-zones/kreative-loesungen.yml"
MS = "flexible-zones/messaging.yml"
EX = "flexible-zones/experimente.yml"
LO = "qualification/lead-zu-opportunity.yml"
UP = "underperformance/leistungsschwaeche.yml"
PB = "playbook.yml"
TEAM = "teams/oeffentlicher-sektor.yml"
ONB = "onboarding.yml"
GL = "glossary.yml"

Subs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Edit:
    files: dict[str, Subs]
    verdict: str  # the weightiest verdict of all changes
    said: tuple[str, ...] = ()  # every sentence with a verdict, in order (all changes)
    changes: int = 1  # how many files' changes
    reorder: bool = False  # a new order only: no change at all
    then: Callable[[Path], None] | None = field(default=None, compare=False)


def one(file: str, *subs: tuple[str, str]) -> dict[str, Subs]:
    return {file: subs}


EDITS: dict[str, Edit] = {
    # --- non-negotiables ----------------------------------------------------------------
    "nn rule reworded": Edit(
        one(NN, ("jede Zusage an den Kunden", "jede verbindliche Zusage an den Kunden")), W,
        ("Regel geändert: jetzt „Triff keine Nebenabreden – jede verbindliche Zusage an den "
         "Kunden steht im Vertrag oder im Angebot.“ (vorher „Triff keine Nebenabreden – jede "
         "Zusage an den Kunden steht im Vertrag oder im Angebot.“).",),
    ),
    "nn on_breach reworded": Edit(one(NN, ("offen geklärt", "sofort geklärt")), W),
    "nn instead reworded": Edit(one(NN, ("instead: Nimm die Zusage", "instead: Schreib die Zusage")), R),
    "nn instead removed": Edit(one(NN, ("instead: Nimm die Zusage als Position ins Angebot auf; liegt sie außerhalb deines Korridors, nutze den passenden Eskalationsweg.\n", "")), R),
    "nn dont removed": Edit(
        one(NN, ("  - Side Letters ohne Freigabe der Rechtsabteilung unterschreiben.\n", "")), L,
        ("Verbot entfällt: „Side Letters ohne Freigabe der Rechtsabteilung "
         "unterschreiben.“",),
    ),
    "nn dont added": Edit(one(NN, ("dont:\n", "dont:\n  - Rabatte per Chat zusagen.\n")), T),
    "nn dont reworded": Edit(one(NN, ("Side Letters ohne Freigabe", "Side Letters ohne schriftliche Freigabe")), W),
    "nn do removed": Edit(one(NN, ("  - Zusagen per E-Mail an den Kunden bestätigen und im CRM ablegen.\n", "")), L),
    "nn do added": Edit(one(NN, ("do:\n", "do:\n  - Im Zweifel die Teamleitung fragen.\n")), T),
    "nn do reworded": Edit(one(NN, ("per E-Mail an den Kunden bestätigen", "schriftlich an den Kunden bestätigen")), W),
    "nn applies_to narrowed": Edit(one(NN, ("applies_to: [vertrieb, teamleitung, vertriebsleitung]", "applies_to: [vertrieb, vertriebsleitung]")), L),
    "nn applies_to widened": Edit(one(NN, ("applies_to: [vertrieb, teamleitung, vertriebsleitung]", "applies_to: [vertrieb, teamleitung, vertriebsleitung, finanzen]")), T),
    "nn retired": Edit(one(NN, ("owner: vertriebsleitung\n", "owner: vertriebsleitung\nstatus: retired\nsuccessor: vertragsvorlagen\n")), L),
    "nn summary reworded": Edit(one(NN, ("es gibt keine mündlichen", "es gibt grundsätzlich keine mündlichen")), R),
    "nn title": Edit(one(NN, ("title: Keine Nebenabreden", "title: Keine Nebenabsprachen")), N),
    "nn owner": Edit(one(NN, ("owner: vertriebsleitung", "owner: teamleitung")), L),
    "nn area": Edit(one(NN, ("area: pricing", "area: contracts")), N),
    "nn why": Edit(one(NN, ("führen zu\n  Streit", "führen zu\n  Ärger")), N),
    "nn case reworded": Edit(one(NN, ("biete an, den Workshop", "biete an, den Zusatzworkshop")), N),
    "nn keywords": Edit(one(NN, ("Zugeständnis]", "Zugeständnis, Absprache]")), N),
    "nn tags": Edit(one(NN, ("tags: [preise, vertrag]", "tags: [preise, vertrag, recht]")), N),
    "nn related": Edit(one(NN, ("related: [rabatt-obergrenze, vertragsvorlagen]", "related: [rabatt-obergrenze]")), N),
    "nn do reordered": Edit(
        one(NN, ("  - Sonderkonditionen, Freimonate und Zusatzleistungen als Position ins Angebot aufnehmen.\n  - Zusagen per E-Mail an den Kunden bestätigen und im CRM ablegen.\n",
                 "  - Zusagen per E-Mail an den Kunden bestätigen und im CRM ablegen.\n  - Sonderkonditionen, Freimonate und Zusatzleistungen als Position ins Angebot aufnehmen.\n")),
        N, reorder=True,
    ),
    # --- flexible zones -------------------------------------------------------------------
    "fz freedom added": Edit(one(KL, ("freedoms:\n", "freedoms:\n  - Eigene Preise für Bestandskunden.\n")), L,
                             ("Neue Freiheit: „Eigene Preise für Bestandskunden.“",)),
    # (the public-sector team keeps two of these freedoms: a leader edits another zone's)
    "fz freedom removed": Edit(one(MS, ("  - Tonalität und Länge von E-Mails und Nachrichten.\n", "")), T),
    "fz freedom reworded": Edit(one(MS, ("Tonalität und Länge von E-Mails", "Tonalität und Länge von E-Mails, Chats")), W),
    "fz freedom from a lower level": Edit(one(KL, ("    from_level: senior", "    from_level: zertifiziert")), L,
        ("Freiheit „Kostenlose Pilotphasen bis zu drei Monaten.“: jetzt ab Stufe Zertifiziert (vorher ab Stufe Senior).",)),
    "fz freedom for everyone": Edit(one(KL, ("  - freedom: Kostenlose Pilotphasen bis zu drei Monaten.\n    from_level: senior\n", "  - Kostenlose Pilotphasen bis zu drei Monaten.\n")), L),
    "fz freedom from a higher level": Edit(one(MS, ("  - Tonalität und Länge von E-Mails und Nachrichten.\n", "  - freedom: Tonalität und Länge von E-Mails und Nachrichten.\n    from_level: senior\n")), T),
    "fz bounded_by removed": Edit(one(KL, ("bounded_by: [rabatt-obergrenze, keine-nebenabreden, vertragsvorlagen]", "bounded_by: [rabatt-obergrenze, vertragsvorlagen]")), L),
    "fz bounded_by added": Edit(one(KL, ("bounded_by: [rabatt-obergrenze, keine-nebenabreden, vertragsvorlagen]", "bounded_by: [rabatt-obergrenze, keine-nebenabreden, vertragsvorlagen, rechtsklauseln]")), T),
    "fz delegation raised": Edit(one(KL, ("delegation: inquire", "delegation: delegate")), L),
    "fz delegation lowered": Edit(one(KL, ("delegation: inquire", "delegation: consult")), T),
    "fz example added": Edit(one(KL, ("examples:\n", "examples:\n  - Du bündelst zwei Module zu einem Paket.\n")), N),
    "fz retired": Edit(one(KL, ("owner: vertriebsleitung\n", "owner: vertriebsleitung\nstatus: retired\n")), T),
    "fz summary reworded": Edit(one(KL, ("kreativ gestalten", "frei gestalten")), R),
    "fz freedoms reordered": Edit(
        one(KL, ("  - Zuschnitt von Paketen und Modulen aus der Preisliste.\n  - Einführungspläne, Pilotphasen und Meilensteine.\n",
                 "  - Einführungspläne, Pilotphasen und Meilensteine.\n  - Zuschnitt von Paketen und Modulen aus der Preisliste.\n")),
        N, reorder=True,
    ),
    # --- escalation paths: the discount path, which varies by level --------------------------
    "rf certified 10 -> 11": Edit(
        one(RF, ("zertifiziert: 10,", "zertifiziert: 11,"), ("zertifiziert: 10,", "zertifiziert: 11,"), NO_EXAMPLES), L,
        ("Auf Stufe Zertifiziert: Über 10\u00a0% bis 11\u00a0%: jetzt entscheidet Account "
         "Executive (vorher Teamleitung Vertrieb).",),
    ),
    "rf certified 10 -> 9": Edit(
        one(RF, ("zertifiziert: 10,", "zertifiziert: 9,"), ("zertifiziert: 10,", "zertifiziert: 9,"), NO_EXAMPLES), T,
        ("Auf Stufe Zertifiziert: Über 9\u00a0% bis 10\u00a0%: jetzt entscheidet Teamleitung "
         "Vertrieb (vorher Account Executive).",),
    ),
    "rf senior 12 -> 13": Edit(one(RF, ("senior: 12}", "senior: 13}"), ("senior: 12}", "senior: 13}"), NO_EXAMPLES), L),
    "rf beginner 5 -> 4": Edit(one(RF, ("{einsteiger: 5,", "{einsteiger: 4,"), ("{einsteiger: 5,", "{einsteiger: 4,"), NO_EXAMPLES), T),
    "rf team lead up to 20": Edit(
        one(RF, ("    up_to: 15\n", "    up_to: 20\n"), ("  - above: 15\n    up_to: 25", "  - above: 20\n    up_to: 25"), NO_EXAMPLES), L,
        ("Über 15\u00a0% bis 20\u00a0%: jetzt entscheidet Teamleitung Vertrieb (vorher "
         "Vertriebsleitung).",),
    ),
    "rf team lead up to 14": Edit(
        one(RF, ("    up_to: 15\n", "    up_to: 14\n"), ("  - above: 15\n    up_to: 25", "  - above: 14\n    up_to: 25"), NO_EXAMPLES), T,
        ("Über 14\u00a0% bis 15\u00a0%: jetzt entscheidet Vertriebsleitung (vorher "
         "Teamleitung Vertrieb).",),
    ),
    # the team copies these bands: tightening them, the leader tightens its copy too
    "rf 20-25 % to the managing director": Edit(
        {RF: (("  - above: 15\n    up_to: 25\n", "  - above: 15\n    up_to: 20\n"),
              ("  - above: 25\n", "  - above: 20\n    up_to: 25\n    decider: geschaeftsfuehrung\n    response_time_hours: 72\n    channel: Deal-Desk-Termin\n  - above: 25\n"), NO_EXAMPLES),
         TEAM: (("      - above: 10\n        up_to: 25\n", "      - above: 10\n        up_to: 20\n"),
                ("      - above: 25\n", "      - above: 20\n        up_to: 25\n        decider: geschaeftsfuehrung\n        response_time_hours: 72\n        channel: Deal-Desk-Termin\n      - above: 25\n"))},
        T,
        ("Über 20\u00a0% bis 25\u00a0%: jetzt entscheidet Geschäftsführung (vorher "
         "Vertriebsleitung).",
         "Rabattfreigabe: Über 20\u00a0% bis 25\u00a0%: jetzt entscheidet Geschäftsführung "
         "(vorher Vertriebsleitung).",), changes=2),
    "rf 25-100 % to the head of sales": Edit(
        one(RF, ("    up_to: 100\n    decider: geschaeftsfuehrung", "    up_to: 100\n    decider: vertriebsleitung"), NO_EXAMPLES), L),
    "rf consult removed": Edit(one(RF, ("    consult: [finanzen]\n    inform: [teamleitung]\n    response_time_hours: 48", "    inform: [teamleitung]\n    response_time_hours: 48")), L,
        ("Freigabeband über 15\u00a0% bis 25\u00a0%: konsultiert werden jetzt niemand (vorher Finanzen & Controlling).",)),
    "vv consult added": Edit(one(VV, ("    decider: vertrieb\n    inform: [teamleitung]", "    decider: vertrieb\n    consult: [teamleitung]\n    inform: [teamleitung]")), T),
    "rf inform removed": Edit(one(RF, ("    decider: vertrieb\n    inform: [teamleitung]\n", "    decider: vertrieb\n")), L),
    "vv inform added": Edit(one(VV, ("    decider: teamleitung\n    inform: [vertriebsleitung]", "    decider: teamleitung\n    inform: [vertriebsleitung, finanzen]")), T),
    "rf response time": Edit(one(RF, ("    response_time_hours: 24\n    channel: Freigabeanfrage im CRM\n", "    response_time_hours: 48\n    channel: Freigabeanfrage im CRM\n")), N),
    "rf channel": Edit(one(RF, ("    channel: Freigabeanfrage im CRM\n", "    channel: Anruf bei der Teamleitung\n")), N),
    "rf note reworded": Edit(one(RF, ("note: Nur mit strategischer Begründung", "note: Nur mit schriftlicher strategischer Begründung")), W),
    # the team's copy starts where the path's range starts: its unchanged file is no change
    "rf minimum lowered": Edit(one(RF, ("  minimum: 0\n", "  minimum: -20\n")), L),
    "rf delegation raised": Edit(one(RF, ("delegation: inquire", "delegation: delegate")), L),
    "rf summary reworded": Edit(one(RF, ("je nach Stufe;", "je nach deiner Stufe;")), R),
    # --- escalation paths: payment terms ------------------------------------------------------
    # the team copies the payment bands too: a leader who moves them moves its copy
    "zz 60-90 days to the managing director": Edit(
        {ZZ: (("    decider: finanzen\n", "    decider: geschaeftsfuehrung\n"), NO_EXAMPLES),
         TEAM: (("        decider: finanzen\n", "        decider: geschaeftsfuehrung\n"),)}, T,
        ("Über 60\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Geschäftsführung (vorher "
         "Finanzen & Controlling).",
         "Zahlungsziel: Über 60\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Geschäftsführung "
         "(vorher Finanzen & Controlling).",), changes=2,
    ),
    "zz 60-90 days to the head of sales": Edit(
        {ZZ: (("    decider: finanzen\n", "    decider: vertriebsleitung\n"), NO_EXAMPLES),
         TEAM: (("        decider: finanzen\n", "        decider: vertriebsleitung\n"),)}, L,
        ("Über 60\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Vertriebsleitung (vorher "
         "Finanzen & Controlling).",
         "Zahlungsziel: Über 60\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Vertriebsleitung "
         "(vorher Finanzen & Controlling).",), changes=2,
    ),
    "zz 60-90 days to the team lead": Edit(
        {ZZ: (("    decider: finanzen\n", "    decider: teamleitung\n"), NO_EXAMPLES),
         TEAM: (("        decider: finanzen\n", "        decider: teamleitung\n"),)}, L, changes=2),
    "zz split at 75": Edit(
        {ZZ: (("    up_to: 90\n    decider: finanzen\n", "    up_to: 75\n    decider: finanzen\n"),
              ("  - above: 90\n", "  - above: 75\n    up_to: 90\n    decider: geschaeftsfuehrung\n    response_time_hours: 48\n    channel: Deal-Desk-Termin\n  - above: 90\n"), NO_EXAMPLES),
         TEAM: (("        up_to: 90\n        decider: finanzen\n", "        up_to: 75\n        decider: finanzen\n"),
                ("      - above: 90\n", "      - above: 75\n        up_to: 90\n        decider: geschaeftsfuehrung\n        response_time_hours: 48\n        channel: Deal-Desk-Termin\n      - above: 90\n"))},
        T,
        ("Über 75\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Geschäftsführung (vorher "
         "Finanzen & Controlling).",
         "Zahlungsziel: Über 75\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Geschäftsführung "
         "(vorher Finanzen & Controlling).",), changes=2,
    ),
    "zz finance up to 100 days": Edit(
        {ZZ: (("    up_to: 90\n", "    up_to: 100\n"), ("  - above: 90\n", "  - above: 100\n"), NO_EXAMPLES),
         TEAM: (("        up_to: 90\n", "        up_to: 100\n"), ("      - above: 90\n", "      - above: 100\n"))},
        L, changes=2),
    "zz team lead up to 50 days": Edit(
        {ZZ: (("    up_to: 60\n", "    up_to: 50\n"), ("  - above: 60\n", "  - above: 50\n"), NO_EXAMPLES),
         TEAM: (("        up_to: 60\n", "        up_to: 50\n"), ("      - above: 60\n", "      - above: 50\n"))},
        L,
        ("Über 50\u00a0Tage bis 60\u00a0Tage: jetzt entscheidet Finanzen & Controlling "
         "(vorher Teamleitung Vertrieb).",  # Finanzen is outside the team lead's chain
         "Zahlungsziel: Über 50\u00a0Tage bis 60\u00a0Tage: jetzt entscheidet Finanzen & "
         "Controlling (vorher Teamleitung Vertrieb).",), changes=2,
    ),
    "zz senior 45 -> 50": Edit(one(ZZ, ("senior: 45}", "senior: 50}"), ("senior: 45}", "senior: 50}"), NO_EXAMPLES), L,
        ("Auf Stufe Senior: Über 45\u00a0Tage bis 50\u00a0Tage: jetzt entscheidet Account "
         "Executive (vorher Teamleitung Vertrieb).",)),
    # the case: the untouched team, which keeps the team lead for beginners, is no
    # looser than the organisation that now lets beginners decide
    "zz beginners decide up to 30 days": Edit(
        one(ZZ, ("    decider: {einsteiger: teamleitung, zertifiziert: vertrieb}\n", "    decider: vertrieb\n"), NO_EXAMPLES, NO_CASES), L,
        ("Auf Stufe Einsteiger:in: Bis 30\u00a0Tage: jetzt entscheidet Account Executive "
         "(vorher Teamleitung Vertrieb).",)),
    "zz consult removed": Edit(
        {ZZ: (("    consult: [finanzen, vertriebsleitung]\n", "    consult: [finanzen]\n"),),
         TEAM: (("        consult: [finanzen, vertriebsleitung]\n", "        consult: [finanzen]\n"),)}, L,
        ("Freigabeband über 90\u00a0Tage: konsultiert werden jetzt Finanzen & Controlling "
         "(vorher Finanzen & Controlling, Vertriebsleitung).",
         "Zahlungsziel: Freigabeband über 90\u00a0Tage: konsultiert werden jetzt Finanzen & "
         "Controlling (vorher Finanzen & Controlling, Vertriebsleitung).",), changes=2),
    # --- escalation paths: contract volume (no levels) ---------------------------------------
    "vv 500k-1M to the managing director": Edit(
        one(VV, ("    up_to: 1000000\n    decider: vertriebsleitung\n", "    up_to: 500000\n    decider: vertriebsleitung\n"),
            ("  - above: 1000000\n", "  - above: 500000\n"), NO_EXAMPLES), T,
        ("Über 500.000\u00a0EUR bis 1.000.000\u00a0EUR: jetzt entscheidet Geschäftsführung "
         "(vorher Vertriebsleitung).",),
    ),
    "vv 50k-250k to the head of sales": Edit(
        one(VV, ("    up_to: 250000\n    decider: teamleitung\n", "    up_to: 250000\n    decider: vertriebsleitung\n"), NO_EXAMPLES), T,
        ("Über 50.000\u00a0EUR bis 250.000\u00a0EUR: jetzt entscheidet Vertriebsleitung "
         "(vorher Teamleitung Vertrieb).",),  # one sentence: no invented response time
    ),
    "vv 250k-1M to the team lead": Edit(
        one(VV, ("    up_to: 1000000\n    decider: vertriebsleitung\n", "    up_to: 1000000\n    decider: teamleitung\n"), NO_EXAMPLES), L),
    "vv rep up to 60k": Edit(
        one(VV, ("  - up_to: 50000\n", "  - up_to: 60000\n"), ("  - above: 50000\n", "  - above: 60000\n"), NO_EXAMPLES), L,
        ("Über 50.000\u00a0EUR bis 60.000\u00a0EUR: jetzt entscheidet Account Executive "
         "(vorher Teamleitung Vertrieb).",),
    ),
    # --- qualification -----------------------------------------------------------------------
    "lo required criterion removed": Edit(one(LO, ("  - id: zeitrahmen\n    question: Gibt es einen Zeitrahmen mit Anlass (Vertragsende, Projektstart, Budgetjahr)?\n    evidence: Datum und Anlass im CRM.\n    required: true\n", "")), L),
    "lo optional criterion removed": Edit(one(LO, ("  - id: champion\n    question: Gibt es einen Champion, der uns intern unterstützt?\n    evidence: Kontaktrolle Champion im CRM gepflegt.\n    required: false\n", "")), N),
    "lo criterion added": Edit(one(LO, ("optional_min: 1\n", "  - id: wettbewerb\n    question: Kennen wir den Wettbewerb?\n    evidence: Wettbewerber im CRM.\n    required: false\noptional_min: 1\n")), T),
    "lo criterion made optional": Edit(one(LO, ("    evidence: Datum und Anlass im CRM.\n    required: true", "    evidence: Datum und Anlass im CRM.\n    required: false")), L),
    "lo criterion made required": Edit(one(LO, ("    evidence: Kontaktrolle Champion im CRM gepflegt.\n    required: false", "    evidence: Kontaktrolle Champion im CRM gepflegt.\n    required: true")), T),
    "lo question reworded": Edit(one(LO, ("Ist ein Budget vorhanden oder beantragt?", "Ist ein Budget vorhanden?")), W),
    "lo evidence weakened": Edit(one(LO, ("evidence: Notiz aus der Discovery mit dem Problem in den Worten des Kunden.", "evidence: Mündliche Aussage genügt.")), R,
        ("Kriterium „Hat der Kunde einen konkreten Schmerzpunkt benannt, den wir lösen?“ – "
         "Beleg geändert: jetzt „Mündliche Aussage genügt.“ (vorher „Notiz aus der "
         "Discovery mit dem Problem in den Worten des Kunden.“).",)),
    "lo optional_min lowered": Edit(one(LO, ("optional_min: 1", "optional_min: 0")), L),
    "lo optional_min raised": Edit(one(LO, ("optional_min: 1", "optional_min: 2")), T),
    "lo disqualifier removed": Edit(one(LO, ("  - Unsere Lösung deckt die Kernanforderung nicht ab.\n", "")), L),
    "lo disqualifier added": Edit(one(LO, ("disqualifiers:\n", "disqualifiers:\n  - Kein Budget in Sicht.\n")), T),
    "lo disqualifier reworded": Edit(one(LO, ("deckt die Kernanforderung nicht ab", "deckt die Kernanforderung nicht vollständig ab")), W),
    "lo retired": Edit(one(LO, ("last_reviewed: \"2026-10-20\"\n", "last_reviewed: \"2026-10-20\"\nstatus: retired\n")), L),
    "lo criteria reordered": Edit(
        one(LO, ("  - id: budget\n    question: Ist ein Budget vorhanden oder beantragt?\n    evidence: Aussage des Kunden zum Budget, dokumentiert im CRM.\n    required: false\n  - id: champion\n    question: Gibt es einen Champion, der uns intern unterstützt?\n    evidence: Kontaktrolle Champion im CRM gepflegt.\n    required: false\n",
                 "  - id: champion\n    question: Gibt es einen Champion, der uns intern unterstützt?\n    evidence: Kontaktrolle Champion im CRM gepflegt.\n    required: false\n  - id: budget\n    question: Ist ein Budget vorhanden oder beantragt?\n    evidence: Aussage des Kunden zum Budget, dokumentiert im CRM.\n    required: false\n")),
        N, reorder=True,
    ),
    # --- underperformance ---------------------------------------------------------------------
    "up below lowered": Edit(one(UP, ("    threshold: 70\n", "    threshold: 60\n")), L),
    "up below raised": Edit(one(UP, ("    threshold: 70\n", "    threshold: 80\n")), T),
    "up drops_by raised": Edit(one(UP, ("    threshold: 30\n", "    threshold: 40\n")), L),
    "up drops_by lowered": Edit(one(UP, ("    threshold: 30\n", "    threshold: 20\n")), T),
    "up longer period": Edit(one(UP, ("    periods: 2\n", "    periods: 3\n")), L),
    "up step longer": Edit(one(UP, ("    time_frame_weeks: 6\n", "    time_frame_weeks: 12\n")), L),
    "up step shorter": Edit(one(UP, ("    time_frame_weeks: 6\n", "    time_frame_weeks: 4\n")), T),
    "up trigger removed": Edit(one(UP, ("  - id: pipeline-schrumpft\n    metric: Wert der eigenen Pipeline\n    comparison: drops_by\n    threshold: 30\n    unit: percent\n    periods: 1\n    period: month\n    description: Die eigene Pipeline schrumpft innerhalb eines Monats um 30 % oder mehr.\n", "")), L),
    "up metric reworded": Edit(one(UP, ("metric: Wert der eigenen Pipeline", "metric: Anzahl eigener Opportunities")), L),
    "up principle reworded": Edit(one(UP, ("niemand wird überrascht", "keiner wird überrascht")), N),
    # --- playbook.yml: roles, levels, settings --------------------------------------------------
    "pb revops escalates higher": Edit(one(PB, ("    escalates_to: vertriebsleitung\n  - id: datenschutz", "    escalates_to: geschaeftsfuehrung\n  - id: datenschutz")), T),
    "pb finance escalates lower": Edit(one(PB, ("    escalates_to: geschaeftsfuehrung\n  - id: recht", "    escalates_to: vertriebsleitung\n  - id: recht")), L),
    "pb revops escalates sideways": Edit(one(PB, ("    escalates_to: vertriebsleitung\n  - id: datenschutz", "    escalates_to: finanzen\n  - id: datenschutz")), R),
    "pb longer review interval": Edit(one(PB, ("review_interval_months: 12", "review_interval_months: 24")), R),
    "pb shorter review interval": Edit(one(PB, ("review_interval_months: 12", "review_interval_months: 6")), T),
    "pb handle changed": Edit(one(PB, ('handles: ["@nordlicht/finance"]', 'handles: ["@nordlicht/cfo"]')), L),
    "pb role renamed": Edit(one(PB, ("    name: Teamleitung Vertrieb", "    name: Teamleitung")), N),
    "pb certified confirmed higher": Edit(one(PB, ("        confirmed_by: teamleitung", "        confirmed_by: vertriebsleitung")), T),
    "pb senior confirmed lower": Edit(one(PB, ("        confirmed_by: vertriebsleitung", "        confirmed_by: teamleitung")), L),
    "pb glossary owner": Edit(one(PB, ("  glossary: revops", "  glossary: vertriebsleitung")), L),
    # --- teams ------------------------------------------------------------------------------------
    "team own limit lowered": Edit(one(TEAM, ("senior: 8}", "senior: 7}"), ("senior: 8}", "senior: 7}")), T,
        ("Rabattfreigabe: Auf Stufe Senior: Über 7\u00a0% bis 8\u00a0%: jetzt entscheidet "
         "Teamleitung Vertrieb (vorher Account Executive).",)),
    "team own limit raised": Edit(one(TEAM, ("senior: 8}", "senior: 9}"), ("senior: 8}", "senior: 9}")), L),
    # --- onboarding and glossary ------------------------------------------------------------------
    "onb answer reworded": Edit(one(ONB, ("Antwort innerhalb eines Tages", "Antwort meist am selben Tag")), R),
    "onb step title": Edit(one(ONB, ("      - title: Daten und Systeme", "      - title: Daten, Systeme")), N),
    "gl definition": Edit(one(GL, ("Durchschnittlicher Vertragswert pro Jahr", "Vertragswert pro Jahr")), N),
    # --- two files at once: a loosening split across them is still one ----------------------------
    "laundering: finance lower and its band to the head of sales": Edit(
        {PB: (("    escalates_to: geschaeftsfuehrung\n  - id: recht", "    escalates_to: vertriebsleitung\n  - id: recht"),),
         ZZ: (("    decider: finanzen\n", "    decider: vertriebsleitung\n"), NO_EXAMPLES),
         TEAM: (("        decider: finanzen\n", "        decider: vertriebsleitung\n"),)},
        L, changes=3,
    ),
    "laundering: the same in the team's file too": Edit(
        {ZZ: (("    decider: finanzen\n", "    decider: vertriebsleitung\n"), NO_EXAMPLES),
         TEAM: (("        decider: finanzen\n", "        decider: vertriebsleitung\n"),)},
        L, changes=2,
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edits") / "playbook"
    shutil.copytree(SAMPLE, folder)
    return folder


@pytest.fixture(scope="module")
def memo() -> Memo:
    return Memo()


@pytest.fixture(scope="module")
def base(copy: Path, memo: Memo) -> Playbook:
    return check(copy, TODAY, memo=memo).model


def applied(text: str, subs: Subs) -> str:
    for old, new in subs:
        if (old, new) == NO_EXAMPLES:
            text = re.sub(r"^examples:\n(  - .*\n)+", "", text, flags=re.M)
            continue
        if (old, new) == NO_CASES:
            text = re.sub(r"^cases:\n((  - |    ).*\n)+", "", text, flags=re.M)
            continue
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_gets_its_verdict_and_no_phantom_sentence(
    name: str, copy: Path, memo: Memo, base: Playbook
) -> None:
    edit = EDITS[name]
    originals = {file: (copy / file).read_text("utf-8") for file in edit.files}
    try:
        for file, subs in edit.files.items():
            (copy / file).write_text(applied(originals[file], subs), "utf-8")
        try:
            model = check(copy, TODAY, memo=memo).model
        except PlaybookError as error:  # the edit must be one a pull request could merge
            pytest.fail(f"the edited playbook is invalid: {error.problems}")
        changes = compare(base, model)
    finally:
        for file, text in originals.items():
            (copy / file).write_text(text, "utf-8")
    if edit.reorder:
        assert changes == []
        return
    assert len(changes) == edit.changes, [(c.title, c.sentences) for c in changes]
    worst = max((c.approval for c in changes), key=["", T, W, R, L].index)
    assert worst == edit.verdict, [(c.title, c.sentences, c.verdicts) for c in changes]
    said = tuple(s for c in changes for s, v in zip(c.sentences, c.verdicts, strict=True) if v)
    if edit.said:
        assert said == edit.said
    # never a verdict weightier than the edit's on any sentence, nor one sentence twice
    assert all(["", T, W, R, L].index(v) <= ["", T, W, R, L].index(edit.verdict)
               for c in changes for v in c.verdicts)  # fmt: skip
    assert len(set(said)) == len(said)


def test_the_suite_covers_a_hundred_edits_of_every_kind() -> None:
    assert len(EDITS) >= 100
    files = {file for edit in EDITS.values() for file in edit.files}
    assert {NN, KL, MS, RF, ZZ, VV, LO, UP, PB, TEAM, ONB, GL} <= files
    assert {edit.verdict for edit in EDITS.values()} == {L, R, W, T, N}


@pytest.mark.parametrize("entry", ["rabatt-freigabe", "keine-nebenabreden", "experimente"])
def test_a_rename_is_only_a_rename_where_texts_show_the_entry_live(
    entry: str, tmp_path: Path
) -> None:
    """`playbook rename` updates every reference, `{rabatt-freigabe}` in summaries and
    answers included: the diff says the rename and nothing else, and needs no approval."""
    from .conftest import run_cli

    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    code, err = run_cli("rename", entry, "umbenannt", str(source))
    assert code == 0, err
    changes = compare(check(SAMPLE, TODAY).model, check(source, TODAY).model)
    assert [(c.change, c.approval) for c in changes if c.id == "umbenannt"] == [("renamed", "")]
    assert all(not v for c in changes for v in c.verdicts), [
        (c.title, c.sentences) for c in changes if any(c.verdicts)
    ]
