// Reads iCalendar files with ical.js (Thunderbird's parser) and prints what it saw as JSON.
// Usage: node ics_icaljs.mjs --from ISO --to ISO FILE...
// Every VTIMEZONE in the file is registered and nothing else is, so ical.js can only get the
// instants right if our VTIMEZONE is right.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function parseArgs(argv) {
  const out = { files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--from") out.from = argv[++i];
    else if (argv[i] === "--to") out.to = argv[++i];
    else out.files.push(argv[i]);
  }
  return out;
}

const isoUtc = (time) => new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
const address = (v) => (String(v).toLowerCase().startsWith("mailto:") ? String(v).slice(7) : String(v));

function summarise(text, from, to) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtz);
  }
  const vevents = root.getAllSubcomponents("vevent");
  // A calendar holding a series and changed occurrences of it (RECURRENCE-ID) shows each
  // occurrence where its override puts it, as Thunderbird does.
  const master = vevents.find((v) => !v.hasProperty("recurrence-id")) ?? vevents[0];
  const ev = new ICAL.Event(master);
  if (ev.isRecurring()) {
    for (const other of vevents) {
      if (other !== master && other.hasProperty("recurrence-id")) ev.relateException(new ICAL.Event(other));
    }
  }
  const occurrences = [];
  if (ev.isRecurring()) {
    const it = ev.iterator();
    for (let next = it.next(); next; next = it.next()) {
      if (next.toUnixTime() >= to + 366 * 86400) break;
      const seconds = ev.getOccurrenceDetails(next).startDate.toUnixTime();
      if (seconds >= from && seconds < to) occurrences.push(isoUtc(ev.getOccurrenceDetails(next).startDate));
    }
    occurrences.sort();
  } else if (ev.startDate.toUnixTime() >= from && ev.startDate.toUnixTime() < to) {
    occurrences.push(isoUtc(ev.startDate));
  }
  const organizer = master.getFirstProperty("organizer");
  const text_or_null = (name) => {
    const v = master.getFirstPropertyValue(name);
    return v === null || v === undefined ? null : String(v);
  };
  return {
    parser: "ical.js",
    errors: [],
    vcalendars: 1,
    vevents: vevents.length,
    method: root.getFirstPropertyValue("method"),
    uid: ev.uid,
    sequence: ev.sequence,
    status: text_or_null("status"),
    summary: ev.summary,
    description: text_or_null("description"),
    location: text_or_null("location"),
    url: text_or_null("url"),
    organizer: organizer
      ? { email: address(organizer.getFirstValue()), cn: organizer.getParameter("cn") ?? null }
      : null,
    attendees: ev.attendees.map((a) => ({
      email: address(a.getFirstValue()),
      cn: a.getParameter("cn") ?? null,
      role: a.getParameter("role") ?? null,
      partstat: a.getParameter("partstat") ?? null,
      rsvp: a.getParameter("rsvp") ?? null,
    })),
    recurrence_id: ev.recurrenceId ? isoUtc(ev.recurrenceId) : null,
    occurrences,
  };
}

const args = parseArgs(process.argv.slice(2));
const from = Date.parse(args.from) / 1000;
const to = Date.parse(args.to) / 1000;
const texts = args.files.length
  ? args.files.map((f) => readFileSync(f, "utf8"))
  : [readFileSync(0, "utf8")];
const results = texts.map((text) => {
  try {
    return summarise(text, from, to);
  } catch (err) {
    return { error: String(err && err.stack ? err.stack : err) };
  }
});
process.stdout.write(JSON.stringify(results));
