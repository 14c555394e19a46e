#!/usr/bin/env python3
"""Reads iCalendar files with a real Python parser and prints what it saw as JSON.

Usage: ics_python.py --parser icalendar|vobject --from ISO --to ISO FILE...
Prints a JSON array with one object per file (see summarise_* for the keys). A file the parser
rejects yields {"error": "..."} instead of aborting the batch.
"""
import argparse
import json
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def iso_utc(dt):
    if not isinstance(dt, datetime):
        raise ValueError(f"not a date-time: {dt!r}")
    if dt.tzinfo is None:
        raise ValueError(f"floating time: {dt!r}")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def address(value):
    text = str(value)
    return text[7:] if text.lower().startswith("mailto:") else text


def summarise_icalendar(text, start, end):
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar.from_ical(text)
    errors = [f"{c.name}: {e}" for c in cal.walk() for e in getattr(c, "errors", [])]
    events = cal.walk("VEVENT")
    ev = events[0]

    attendees = ev.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    organizer = ev.get("ORGANIZER")

    occurrences = [
        iso_utc(o["DTSTART"].dt) for o in recurring_ical_events.of(cal).between(start, end)
    ]
    # python-icalendar maps TZIDs to zoneinfo and ignores the VTIMEZONE, so check that
    # component separately: build a tzinfo from it alone and compare with zoneinfo hourly.
    vtz_mismatches = {}
    for vtz in cal.walk("VTIMEZONE"):
        tzid = str(vtz["TZID"])
        own = vtz.to_tz(lookup_tzid=False)
        reference = ZoneInfo(tzid)
        bad = []
        at = start
        while at < end:
            if at.astimezone(own).utcoffset() != at.astimezone(reference).utcoffset():
                bad.append(iso_utc(at))
            at += timedelta(hours=1)
        vtz_mismatches[tzid] = bad

    return {
        "parser": f"icalendar {icalendar.__version__}",
        "errors": errors,
        "vcalendars": 1,
        "vevents": len(events),
        "method": str(cal.get("METHOD", "")),
        "prodid_count": text.count("\r\nPRODID:") + text.startswith("PRODID:"),
        "uid": str(ev.get("UID", "")),
        "sequence": int(ev.get("SEQUENCE", 0)),
        "status": str(ev.get("STATUS", "")),
        "summary": str(ev.get("SUMMARY", "")),
        "description": str(ev.get("DESCRIPTION", "")) if "DESCRIPTION" in ev else None,
        "location": str(ev.get("LOCATION", "")) if "LOCATION" in ev else None,
        "url": str(ev.get("URL", "")) if "URL" in ev else None,
        "organizer": {"email": address(organizer), "cn": organizer.params.get("CN")}
        if organizer is not None
        else None,
        "attendees": [
            {
                "email": address(a),
                "cn": a.params.get("CN"),
                "role": a.params.get("ROLE"),
                "partstat": a.params.get("PARTSTAT"),
                "rsvp": a.params.get("RSVP"),
            }
            for a in attendees
        ],
        "recurrence_id": iso_utc(ev["RECURRENCE-ID"].dt) if "RECURRENCE-ID" in ev else None,
        "occurrences": occurrences,
        "vtimezone_mismatches": vtz_mismatches,
    }


def summarise_vobject(text, start, end):
    import vobject

    calendars = list(vobject.readComponents(text, validate=True))
    cal = calendars[0]
    events = list(cal.vevent_list) if hasattr(cal, "vevent_list") else []
    ev = events[0]

    def value(name):
        prop = ev.contents.get(name)
        return prop[0].value if prop else None

    def param(prop, name):
        values = prop.params.get(name)
        return values[0] if values else None

    rules = ev.getrruleset(addRDate=True)
    if rules is None:
        first = ev.dtstart.value
        occurrences = [iso_utc(first)] if start <= first < end else []
    else:
        occurrences = [iso_utc(o) for o in rules.between(start, end, inc=True) if o < end]

    organizer = ev.contents.get("organizer", [None])[0]
    return {
        "parser": f"vobject {getattr(vobject, 'VERSION', '')}".strip(),
        "errors": [],
        "vcalendars": len(calendars),
        "vevents": len(events),
        "method": cal.method.value if hasattr(cal, "method") else "",
        "uid": value("uid"),
        "sequence": int(value("sequence") or 0),
        "status": value("status"),
        "summary": value("summary"),
        "description": value("description"),
        "location": value("location"),
        "url": value("url"),
        "organizer": {"email": address(organizer.value), "cn": param(organizer, "CN")}
        if organizer is not None
        else None,
        "attendees": [
            {
                "email": address(a.value),
                "cn": param(a, "CN"),
                "role": param(a, "ROLE"),
                "partstat": param(a, "PARTSTAT"),
                "rsvp": param(a, "RSVP"),
            }
            for a in ev.contents.get("attendee", [])
        ],
        "recurrence_id": iso_utc(value("recurrence-id")) if value("recurrence-id") else None,
        "occurrences": occurrences,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parser", choices=["icalendar", "vobject"], required=True)
    parser.add_argument("--from", dest="start", required=True)
    parser.add_argument("--to", dest="end", required=True)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00"))
    end = datetime.fromisoformat(args.end.replace("Z", "+00:00"))
    summarise = summarise_icalendar if args.parser == "icalendar" else summarise_vobject

    texts = [open(f, encoding="utf-8", newline="").read() for f in args.files] or [
        sys.stdin.read()
    ]
    results = []
    for text in texts:
        try:
            results.append(summarise(text, start, end))
        except Exception as exc:  # reported to the Rust test, which fails with it
            results.append({"error": f"{type(exc).__name__}: {exc}"})
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
