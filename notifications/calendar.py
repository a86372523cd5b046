"""The personal calendar feed (.ics): the due dates that the domain apps register.

A source is a function of a user returning `Due` items; an app registers its source in its
AppConfig.ready(), as measures does for its rows (an OIT workspace would for its items):

    from notifications import calendar
    calendar.register(my_due_dates)
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from lib.http import portal_base_url

SOURCES = []


@dataclass(frozen=True)
class Due:
    uid: str  # stable across feeds, e.g. "measure-12"
    day: date
    summary: str
    link: str = ""  # a path of the portal
    description: str = ""


def register(source):
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def feed(user):
    """The user's due dates as an iCalendar file (bytes): one all-day event per item."""
    calendar = Calendar()
    calendar.add("prodid", "-//ITA Portal//notifications//TH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "ITA Portal")
    host = portal_base_url().split("://")[-1].split("/")[0] or "ita-portal"
    now = timezone.now()
    for source in SOURCES:
        for item in source(user):
            event = Event()
            event.add("uid", f"{item.uid}@{host}")
            event.add("dtstamp", now)
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("summary", item.summary)
            if item.link:
                event.add("url", portal_base_url() + item.link)
            description = "\n".join(part for part in (item.description, portal_base_url() + item.link
                                                      if item.link else "") if part)
            if description:
                event.add("description", description)
            calendar.add_component(event)
    return calendar.to_ical()
