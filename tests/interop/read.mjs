// Read iCalendar files with Mozilla's ical.js (Thunderbird) or node-ical and print what each
// event means: UID, SEQUENCE, SUMMARY, start and end as UTC instants. Used by tests/interop.
// Usage: node read.mjs (icaljs|nodeical) file.ics...   -> JSON {file: {method, events: [...]}}
import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import nodeIcal from "node-ical";

const iso = (date) => (date ? new Date(date).toISOString().replace(".000Z", "Z") : null);

function withIcalJs(text) {
  const root = new ICAL.Component(ICAL.parse(text));
  // Thunderbird registers the file's own VTIMEZONEs before reading times.
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
  }
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const floating = (t) => t && !t.isDate && t.zone === ICAL.Timezone.localTimezone;
    return {
      uid: event.uid,
      sequence: event.sequence,
      summary: event.summary,
      description: event.description,
      location: event.location,
      status: vevent.getFirstPropertyValue("status"),
      start: iso(event.startDate.toJSDate()),
      end: iso(event.endDate.toJSDate()),
      floating: floating(event.startDate) || floating(event.endDate),
      attendees: vevent.getAllProperties("attendee").map((p) => String(p.getFirstValue())),
      organizer: vevent.getFirstPropertyValue("organizer"),
    };
  });
  return { method: root.getFirstPropertyValue("method"), events };
}

function withNodeIcal(text) {
  const data = nodeIcal.sync.parseICS(text);
  const events = [];
  let method = null;
  for (const item of Object.values(data)) {
    if (item.type === "VCALENDAR") method = item.method || null;
    if (item.type !== "VEVENT") continue;
    const text = (v) => (v && typeof v === "object" && "val" in v ? v.val : v) ?? null;
    const attendees = item.attendee ? [].concat(item.attendee).map((a) => text(a)) : [];
    events.push({
      uid: item.uid,
      sequence: item.sequence === undefined ? null : Number(item.sequence),
      summary: text(item.summary),
      description: text(item.description),
      location: text(item.location),
      status: item.status || null,
      start: iso(item.start),
      end: iso(item.end),
      floating: Boolean(item.start && item.start.tz === undefined && !item.datetype),
      attendees,
      organizer: text(item.organizer),
    });
  }
  return { method, events };
}

const [parser, ...files] = process.argv.slice(2);
const read = { icaljs: withIcalJs, nodeical: withNodeIcal }[parser];
if (!read) {
  console.error(`unknown parser ${parser}`);
  process.exit(2);
}
const out = {};
for (const file of files) {
  try {
    out[file] = read(readFileSync(file, "utf8"));
  } catch (error) {
    out[file] = { error: String(error && error.stack ? error.stack : error) };
  }
}
process.stdout.write(JSON.stringify(out));
