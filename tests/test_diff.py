"""`playbook diff`: what a change means, between folders or git revisions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sales_playbook.commands import diff as diff_command

from .conftest import SAMPLE, run_main

run = run_main


@pytest.fixture(autouse=True)
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentences in the sample's own language, as its page of news says them: the
    command line speaks English (tests/test_conventions.py), the sentences are the same."""
    monkeypatch.setattr(diff_command, "LANGUAGE", "de")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("versions")
    old, new = root / "old", root / "new"
    shutil.copytree(SAMPLE, old)
    shutil.copytree(SAMPLE, new)
    discount = new / "escalation-paths" / "rabatt-freigabe.yml"
    text = re.sub(r"examples:\n(  - .*\n)+", "", discount.read_text("utf-8"))
    discount.write_text(text.replace("zertifiziert: 10,", "zertifiziert: 11,"), "utf-8")
    terms = new / "escalation-paths" / "zahlungsziel-freigabe.yml"
    text = re.sub(r"examples:\n(  - .*\n)+", "", terms.read_text("utf-8"))
    terms.write_text(
        text.replace("    decider: finanzen\n", "    decider: vertriebsleitung\n"), "utf-8"
    )
    # the team's copy of that band follows: its overlay may not let Finanzen decide it
    edit(new / "teams" / "oeffentlicher-sektor.yml", "        decider: finanzen\n",
         "        decider: vertriebsleitung\n")  # fmt: skip
    lead = new / "qualification" / "lead-zu-opportunity.yml"
    edit(lead, "  - id: champion\n", "  - id: wettbewerb\n")
    edit(lead, "Gibt es einen Champion, der uns intern unterstützt?", "Kennen wir den Wettbewerb?")
    edit(new / "flexible-zones" / "kontaktfrequenz.yml", "owner: teamleitung",
         "owner: teamleitung\nstatus: retired\nsuccessor: messaging")  # fmt: skip
    return old, new


def test_sentences_say_what_the_change_means(versions: tuple[Path, Path]) -> None:
    old, new = versions
    code, out, _ = run("diff", str(new), "--base-dir", str(old))
    assert code == 0
    gone = "    Beispiel entfällt: „{}“."
    to_sales_lead = (
        "Über 60\u00a0Tage bis 90\u00a0Tage: jetzt entscheidet Vertriebsleitung "
        "(vorher Finanzen & Controlling)."
    )
    assert out.splitlines() == [
        # first the verdicts counted, and who approves
        "3 Lockerungen · 1 Prüfung · 2 Verschärfungen · Freigabe: Vertriebsleitung "
        "(@nordlicht/sales-leadership), Finanzen & Controlling (@nordlicht/finance)",
        # then the riskiest changes first
        "~ Rabattfreigabe (escalation-paths/rabatt-freigabe.yml)"
        "  [Freigabe durch Vertriebsleitung nötig]",
        # the bands vary by level: only the level whose limit was raised changes, and
        # the range that moved is said once
        "    Auf Stufe Zertifiziert: Über 10\u00a0% bis 11\u00a0%: jetzt entscheidet "
        "Account Executive (vorher Teamleitung Vertrieb).",
        *(gone.format(x) for x in ("5; Account Executive",
          "5,01; Teamleitung Vertrieb; Einsteiger:in",
          "10; Account Executive; Zertifiziert", "10,01; Teamleitung Vertrieb; Zertifiziert",
          "12; Account Executive; Senior", "12,01; Teamleitung Vertrieb; Senior",
          "15; Teamleitung Vertrieb", "20; Vertriebsleitung", "30; Geschäftsführung")),
        # a case still says "bis 10 %" for the certified level: to be reviewed
        "    Ein Text widerspricht jetzt den Freigabebändern: „10 %“ passt zu keiner "
        "Grenze.",
        "~ Zahlungsziel (escalation-paths/zahlungsziel-freigabe.yml)"
        "  [Freigabe durch Finanzen & Controlling nötig]",
        # the same at every level: said once, without a level
        f"    {to_sales_lead}",
        *(gone.format(x) for x in ("30; Teamleitung Vertrieb; Einsteiger:in",
          "30; Account Executive; Zertifiziert", "31; Teamleitung Vertrieb; Zertifiziert",
          "45; Account Executive; Senior", "46; Teamleitung Vertrieb; Senior",
          "60; Teamleitung Vertrieb", "90; Finanzen & Controlling", "120; Geschäftsführung")),
        # the team's copy of the band: the same move, judged by the same policy
        "~ Team „Öffentlicher Sektor“ (teams/oeffentlicher-sektor.yml)"
        "  [Freigabe durch Vertriebsleitung nötig]",
        f"    Zahlungsziel: {to_sales_lead}",
        # retiring a flexible zone takes a freedom away: it tightens, no approval
        "~ Kontaktfrequenz und Cadence (flexible-zones/kontaktfrequenz.yml)",
        "    Außer Kraft gesetzt, ersetzt durch „Messaging und Ansprache“.",
        "~ Vom Lead zur Opportunity (qualification/lead-zu-opportunity.yml)",
        "    Neues Kriterium: „Kennen wir den Wettbewerb?“ (optional).",
        "    Kriterium entfällt: „Gibt es einen Champion, der uns intern unterstützt?“ (optional).",
    ]  # fmt: skip


def test_json_for_tools(versions: tuple[Path, Path]) -> None:
    old, new = versions
    code, out, _ = run("diff", str(new), "--base-dir", str(old), "--format", "json")
    assert code == 0
    changes = {c["id"]: c for c in json.loads(out)}
    assert set(changes) == {
        "kontaktfrequenz",
        "rabatt-freigabe",
        "zahlungsziel-freigabe",
        "lead-zu-opportunity",
        "oeffentlicher-sektor.yml",
    }
    discount = changes["rabatt-freigabe"]
    assert discount["needs_approval"] is True
    assert discount["approval"] == "loosening"
    assert discount["rows"][:1] == [
        {
            "aspect": "Auf Stufe Zertifiziert: Freigabeband über 10\u00a0% bis 11\u00a0%",
            "before": "Teamleitung Vertrieb",
            "after": "Account Executive",
        },
    ]
    assert discount["verdicts"][0] == "loosening"
    team = changes["oeffentlicher-sektor.yml"]
    assert (team["kind"], team["approval"]) == ("team", "loosening")
    assert changes["lead-zu-opportunity"]["needs_approval"] is False  # optional criteria only


def test_markdown_is_ready_for_a_pull_request_comment(versions: tuple[Path, Path]) -> None:
    old, new = versions
    code, out, _ = run("diff", str(new), "--base-dir", str(old), "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[:3] == [
        "## Was sich ändert",
        "",
        "**3 Lockerungen · 1 Prüfung · 2 Verschärfungen** · Freigabe: Vertriebsleitung "
        "(`@nordlicht/sales-leadership`), Finanzen & Controlling (`@nordlicht/finance`)",
    ]
    headings = [line for line in lines if line.startswith("### ")]
    assert headings == [
        "### Lockerung: Rabattfreigabe",
        "### Lockerung: Zahlungsziel",
        "### Lockerung: Team „Öffentlicher Sektor“",
        "### Verschärfung: Kontaktfrequenz und Cadence",
        "### Verschärfung: Vom Lead zur Opportunity",  # a new criterion
    ]
    assert (
        "- **Lockerung:** Auf Stufe Zertifiziert: Über 10\u00a0% bis 11\u00a0%: jetzt "
        "entscheidet Account Executive (vorher Teamleitung Vertrieb)."
    ) in lines
    assert "Betrifft 1 von 3 Stufen: Zertifiziert  " in lines
    assert "Öffentlicher Sektor: ändert sich ebenso  " in lines  # its copy of the band moved
    # examples and other neutral sentences folded; each sentence once, no table
    assert out.count("<details>") == 3 and "| Vorher |" not in out
    assert out.count("Über 60\u00a0Tage bis 90\u00a0Tage") == 2  # the path's and the team's


def test_lowering_a_threshold_needs_no_approval(versions: tuple[Path, Path]) -> None:
    old, new = versions
    code, out, _ = run("diff", str(old), "--base-dir", str(new), "--format", "json")
    assert code == 0
    discount = next(c for c in json.loads(out) if c["id"] == "rabatt-freigabe")
    assert discount["needs_approval"] is False
    assert discount["sentences"][:1] == [
        "Auf Stufe Zertifiziert: Über 10\u00a0% bis 11\u00a0%: jetzt entscheidet "
        "Teamleitung Vertrieb (vorher Account Executive).",
    ]
    assert discount["approval"] == "tightening"


def test_no_change_says_so() -> None:
    code, out, _ = run("diff", str(SAMPLE), "--base-dir", str(SAMPLE))
    assert (code, out.strip()) == (0, "Keine inhaltlichen Änderungen.")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def committed(playbook: Path, repo: Path, message: str) -> Path:
    """`playbook` copied into a new git repository as its first commit; the copy's path."""
    shutil.copytree(playbook, repo / "playbook")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", message)
    return repo / "playbook"


def test_git_revisions_added_removed_and_renamed(tmp_path: Path, base_playbook: Path) -> None:
    repo = tmp_path / "repo"
    source = committed(base_playbook, repo, "v1")
    zones = source / "flexible-zones"
    (zones / "ansprache.yml").rename(zones / "gespraech.yml")
    edit(zones / "gespraech.yml", "id: ansprache", "id: gespraech\nprevious_ids: [ansprache]")
    shutil.copy(source / "qualification" / "lead.yml", source / "qualification" / "neu.yml")
    edit(source / "qualification" / "neu.yml", "id: lead", "id: neu")
    edit(source / "qualification" / "neu.yml", "title: Lead-Qualifizierung", "title: Neu")
    edit(source / "qualification" / "neu.yml", "summary: Zwei Fragen.", "summary: Ganz anders.")
    (source / "underperformance" / "schwaeche.yml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v2")

    code, out, err = run(
        "diff", str(source), "--base", "HEAD~1", "--head", "HEAD", "--format", "json"
    )

    assert code == 0, err
    changes = {c["id"]: c for c in json.loads(out)}
    assert changes["gespraech"]["change"] == "renamed"
    assert changes["gespraech"]["old_id"] == "ansprache"
    assert changes["neu"]["change"] == "added"
    assert changes["schwaeche"]["change"] == "removed"
    assert changes["schwaeche"]["file"] == "underperformance/schwaeche.yml"


def test_invalid_input_exits_1_and_unknown_revision_exits_2(base_playbook: Path) -> None:
    broken = base_playbook.parent / "broken"
    shutil.copytree(base_playbook, broken)
    (broken / "flexible-zones" / "ansprache.yml").write_text("id: [\n", "utf-8")
    code, _, err = run("diff", str(broken), "--base-dir", str(base_playbook))
    assert code == 1
    assert "error[yaml-syntax]" in err
    code, _, err = run("diff", str(SAMPLE), "--base", "no-such-revision")
    assert code == 2
    assert "no-such-revision" in err


def test_fail_on_exits_3_when_a_change_needs_approval(versions: tuple[Path, Path]) -> None:
    old, new = versions
    assert (
        run("diff", "--base-dir", str(old), "--head-dir", str(new), "--fail-on", "loosening")[0]
        == 3
    )
    assert (
        run("diff", "--base-dir", str(old), "--head-dir", str(new), "--fail-on", "any-approval")[0]
        == 3
    )
    assert (
        run(
            "diff",
            "--base-dir",
            str(SAMPLE),
            "--head-dir",
            str(SAMPLE),
            "--fail-on",
            "any-approval",
        )[0]
        == 0
    )


def test_a_reworded_rule_needs_approval_for_its_wording(tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(SAMPLE, new)
    edit(new / "non-negotiables" / "keine-nebenabreden.yml", "Triff keine Nebenabreden",
         "Triff keine Nebenabreden @nordlicht/legal *sofort*")  # fmt: skip
    assert (
        run("diff", "--base-dir", str(SAMPLE), "--head-dir", str(new), "--fail-on", "loosening")[0]
        == 0
    )
    code, out, _ = run(
        "diff", "--base-dir", str(SAMPLE), "--head-dir", str(new), "--fail-on", "any-approval"
    )
    assert code == 3
    assert "[Freigabe durch Vertriebsleitung nötig (Wortlaut)]" in out
    _, out, _ = run("diff", str(new), "--base-dir", str(SAMPLE), "--format", "markdown")
    assert "@nordlicht/legal" not in out  # no one is notified
    assert "@\u200dnordlicht/legal \\*sofort\\*" in out


def diff_after_edit(tmp_path: Path, file: str, old: str, new: str) -> str:
    """What `playbook diff` prints between the sample and a copy with one edit."""
    folder = tmp_path / "new"
    shutil.copytree(SAMPLE, folder)
    edit(folder / file, old, new)
    code, out, err = run("diff", str(folder), "--base-dir", str(SAMPLE))
    assert code == 0, err
    return out


@pytest.mark.parametrize(
    ("file", "old", "new", "said"),
    [
        ("playbook.yml", "handles: [\"@nordlicht/finance\"]", "handles: [\"@nordlicht/cfo\"]",
         "~ Einstellungen und Rollen (playbook.yml)  [Freigabe durch Vertriebsleitung nötig]\n"
         "    Rolle „Finanzen & Controlling“ \u2013 Handle umformuliert: jetzt „@nordlicht/cfo“ "
         "(vorher „@nordlicht/finance“)."),
        ("playbook.yml", "rep_role: vertrieb", "rep_role: teamleitung",
         "    Rolle im Vertrieb geändert: jetzt „Teamleitung Vertrieb“ "
         "(vorher „Account Executive“)."),
        ("playbook.yml", "review_interval_months: 12", "review_interval_months: 6",
         "    Prüfintervall in Monaten geändert: jetzt „6“ (vorher „12“)."),
        ("glossary.yml", "definition: Durchschnittlicher Vertragswert pro Jahr",
         "definition: Vertragswert pro Jahr",
         "~ Glossar (glossary.yml)\n"
         "    Begriff „Annual Contract Value“ \u2013 Definition geändert"),
        ("non-negotiables/keine-nebenabreden.yml", "tags: [preise, vertrag]", "tags: [preise]",
         "    Tag entfällt: „vertrag“."),
        ("escalation-paths/rabatt-freigabe.yml", "    channel: Freigabeanfrage im CRM\n",
         "    channel: Anruf\n",
         "    Auf Stufe Zertifiziert: Freigabeband über 10\u00a0% bis 15\u00a0% "
         "\u2013 Weg geändert: jetzt „Anruf“ "
         "(vorher „Freigabeanfrage im CRM“)."),
        ("underperformance/leistungsschwaeche.yml", "    threshold: 70", "    threshold: 80",
         "    Auslöser „Zielerreichung im Quartal“: Schwelle jetzt 80\u00a0% (vorher 70\u00a0%)."),
    ],
)  # fmt: skip
def test_changes_that_used_to_read_as_no_change(
    tmp_path: Path, file: str, old: str, new: str, said: str
) -> None:
    out = diff_after_edit(tmp_path, file, old, new)
    assert said in out
    assert "[Freigabe" not in out or "handles" in old  # only the handle needs approval here


UP = "underperformance/leistungsschwaeche.yml"
NN = "non-negotiables/keine-nebenabreden.yml"


@pytest.mark.parametrize(
    ("file", "old", "new", "approval"),
    [
        (NN, "  Nebenabreden sind für Buchhaltung", "  Nebenabreden sind für Controlling", False),
        (NN, "instead: Nimm die Zusage", "instead: Schreib die Zusage", True),  # to review
        (NN, "area: pricing", "area: contracts", False),
        (NN, "Zusatzvereinbarung, ", "", False),
        ("escalation-paths/vertragsvolumen-freigabe.yml", "  minimum: 0", "  minimum: 1000", False),
        ("escalation-paths/rabatt-freigabe.yml", "    note: Nur mit strategischer Begründung",
         "    note: Jede Begründung genügt, früher nur mit strategischer Begründung", True),
        ("flexible-zones/experimente.yml", "  time_box: Höchstens vier Wochen.",
         "  time_box: Höchstens acht Wochen.", True),
        ("flexible-zones/experimente.yml", "  stop_condition: Brich ab, sobald",
         "  stop_condition: Brich ab, wenn", True),
        ("qualification/lead-zu-opportunity.yml", "    question: Hat der Kunde einen konkreten",
         "    question: Hat der Kunde einen", True),
        ("qualification/lead-zu-opportunity.yml", "    evidence: Notiz aus der Discovery",
         "    evidence: Notiz aus dem Gespräch", True),  # to review
        ("qualification/lead-zu-opportunity.yml",
         "  - Unsere Lösung deckt die Kernanforderung nicht ab.\n", "", True),
        (UP, "    periods: 2", "    periods: 3", True),
        (UP, "    time_frame_weeks: 6", "    time_frame_weeks: 12", True),
        ("onboarding.yml", '          answer: "Bis {rabatt-freigabe} entscheidest du selbst;',
         '          answer: "Bis {rabatt-freigabe} entscheidest du allein;', True),
        ("onboarding.yml", "      - title: Preise und Rabatte", "      - title: Preise", False),
        ("playbook.yml", "    escalates_to: geschaeftsfuehrung\n  - id: recht",
         "    escalates_to: vertriebsleitung\n  - id: recht", True),
        ("playbook.yml", "    name: Teamleitung Vertrieb", "    name: Teamleitung", False),
    ],
)  # fmt: skip
def test_every_edit_the_issue_listed_is_reported(
    tmp_path: Path, file: str, old: str, new: str, approval: bool
) -> None:
    """Each of these printed "Keine inhaltlichen Änderungen." before the complete diff."""
    out = diff_after_edit(tmp_path, file, old, new)
    assert "Keine inhaltlichen Änderungen" not in out
    assert f"({file})" in out or Path(file).stem in out
    assert ("[Freigabe" in out or "[Prüfung" in out) == approval, out


def test_a_text_the_change_contradicts_elsewhere_is_to_be_reviewed(tmp_path: Path) -> None:
    """Finance decides payment terms up to 80 days now; the onboarding, which this pull
    request does not touch, still says "bis 90 Tage": it gets a change of its own."""
    folder = tmp_path / "new"
    shutil.copytree(SAMPLE, folder)
    terms = folder / "escalation-paths" / "zahlungsziel-freigabe.yml"
    text = re.sub(r"examples:\n(  - .*\n)+", "", terms.read_text("utf-8"))
    terms.write_text(text.replace("    up_to: 90\n", "    up_to: 80\n", 1)
                     .replace("  - above: 90\n", "  - above: 80\n", 1), "utf-8")  # fmt: skip
    team = folder / "teams" / "oeffentlicher-sektor.yml"
    edit(team, "        up_to: 90\n", "        up_to: 80\n")
    edit(team, "      - above: 90\n", "      - above: 80\n")
    code, out, _ = run("diff", str(folder), "--base-dir", str(SAMPLE), "--format", "json")
    assert code == 0
    changes = {c["id"]: c for c in json.loads(out)}
    onboarding = changes["onboarding.yml"]
    assert onboarding["approval"] == "review" and onboarding["needs_approval"]
    assert any("passt zu keiner Grenze" in s for s in onboarding["sentences"])


def test_a_contradiction_that_was_there_before_is_not_this_changes(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    shutil.copytree(SAMPLE, folder)
    rule = folder / "non-negotiables" / "rabatt-obergrenze.yml"
    edit(rule, "summary: ", "summary: Bis 9 % gilt, ")  # drift, in the base already
    base = tmp_path / "base"
    shutil.copytree(folder, base)
    edit(rule, "title: ", "title: Neu, ")  # only the title changes now
    code, out, _ = run("diff", str(folder), "--base-dir", str(base), "--format", "json")
    assert code == 0
    [change] = json.loads(out)
    assert change["approval"] == "" and not any("Grenze" in s for s in change["sentences"])
