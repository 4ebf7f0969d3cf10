"""curate/events.py: kinds, status and licence classes of events come from the rules in curation/."""

import csv
import shutil
from pathlib import Path

import pytest

from rare_earth_exports.curate.errors import CurationError
from rare_earth_exports.curate.events import EventRules, curate_events

REPO_CURATION = Path(__file__).resolve().parents[1] / "curation"
COLUMNS = ["date", "kind", "actor", "title", "affects", "source_url", "quote_ref", "credits", "headline"]


@pytest.fixture(scope="module")
def rules():
    return EventRules.load(REPO_CURATION)


def write_events(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)
    return path


def event(date, kind, title, url="https://a.example/1", affects="rare earths;all"):
    return {"date": date, "kind": kind, "actor": "CHN", "title": title, "affects": affects, "source_url": url}


@pytest.mark.parametrize("title, kind, expected", [
    ("Six-month licences for suppliers of GM, Ford, Stellantis", "license", "time-limited licence"),
    ("First one-year 'general licences' to three magnet makers", "license", "general licence"),
    ("CLEPA: approval rate rises from 25% to 60%", "statement", "approval figures"),
    ("US magnet firm got 5 of 180 licences", "license", "approval figures"),
    ("Military end-user applications to be denied in principle", "control", "end-user exclusion"),
    ("MOFCOM offers 'green channel' for EU licence applications", "relaxation", "priority channel"),
    ("China begins issuing licences to European firms", "license", "licences granted"),
    ("Greer: magnet flows 'about halfway' restored", "statement", ""),
    ("Nikkei: about half of heavy-rare-earth export applications for Japan approved", "license", "approval figures"),
    ("Chinese state sellers refuse new rare-earth contracts with Japanese firms", "license",
     "licences refused or review tightened"),
    ("Stricter review rules for rare-earth exporters to Japan (Kyodo)", "license", "licences refused or review tightened"),
    ("Tariff truce extended", "truce", ""),
])
def test_licence_class_follows_the_rules_of_curation(rules, title, kind, expected):
    assert rules.licence_class(title, kind) == expected


def test_kinds_statuses_and_classes_are_set_by_rule(tmp_path, rules):
    path = write_events(tmp_path / "reported_events.csv", [
        event("2026-01-18", "licence", "Stricter review rules for rare-earth exporters to Japan (Kyodo)"),
        event("2025-04-10", "tariff", "US tariffs on most Chinese goods at 145%", affects="tariffs;CHN"),
        event("2026-11-10", "other", "Scheduled end of suspension of October 2025 controls",
              url="https://www.steelradar.com/en/haber/china-postpones-rare-earth-export-restrictions-by-one-year"),
    ])
    events, urls = curate_events([path], rules, lambda url: "src-" + str(len(url)))
    by_date = {e["date"]: e for e in events}
    assert [e["date"] for e in events] == ["2025-04-10", "2026-01-18", "2026-11-10"]
    assert by_date["2026-01-18"]["kind"] == "license"
    assert by_date["2025-04-10"]["kind"] == "tariff" and by_date["2025-04-10"]["licence_class"] == ""
    scheduled = by_date["2026-11-10"]
    assert scheduled["status"] == "scheduled" and scheduled["licence_class"] == "suspension or deferral"
    assert scheduled["note"].startswith("scheduled: The date the one-year suspension")
    assert {by_date[d]["status"] for d in ("2025-04-10", "2026-01-18")} == {"happened"}
    assert len(urls) == 3


def test_a_kind_no_rule_names_stops_curation_at_its_line(tmp_path, rules):
    path = write_events(tmp_path / "reported_events.csv", [event("2025-04-04", "control", "A"), event("2025-04-05", "war", "B")])
    with pytest.raises(CurationError, match=r"reported_events.csv:3: event kind 'war' is not in curation/event_kinds.csv"):
        curate_events([path], rules, str)


def test_two_events_with_one_id_stop_curation(tmp_path, rules):
    path = write_events(tmp_path / "reported_events.csv", [event("2025-04-04", "control", "A"), event("2025-04-04", "control", "A")])
    with pytest.raises(CurationError, match=r"reported_events.csv:3: two events share id 2025-04-04-a"):
        curate_events([path], rules, str)


@pytest.mark.parametrize("file, text, message", [
    ("event_status.csv", "source_url_contains,date,status,reason\na.example,2026-11-10,expired,why\n",
     r"curation/event_status.csv:2: status 'expired'; expected one of happened, scheduled"),
    ("event_status.csv", "source_url_contains,date,status,reason\na.example,2026-11-10,scheduled,\n",
     r"curation/event_status.csv:2: a status needs its reason"),
    ("licence_classes.csv", "licence_class,kind,pattern,reason\nbroken,,(unclosed,why\n",
     r"curation/licence_classes.csv:2: pattern '\(unclosed' is not a regular expression"),
])
def test_a_malformed_rule_file_is_named_with_its_line(tmp_path, file, text, message):
    for name in ("event_kinds.csv", "event_status.csv", "licence_classes.csv"):
        shutil.copyfile(REPO_CURATION / name, tmp_path / name)
    (tmp_path / file).write_text(text, encoding="utf-8")
    with pytest.raises(CurationError, match=message):
        EventRules.load(tmp_path)
