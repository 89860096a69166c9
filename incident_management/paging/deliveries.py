"""When each delivery of a page is due: its person's notification rule delays, counted from the page.

Pure: targets in, times out. The on-call service names each target's delay; the later ones become paging
jobs due then, which an acknowledgement by anyone stops before they are sent.
"""

import datetime as dt


def plan(targets, paged_at):
    """(now, later): the targets to send with the page, and [(target, due_at)] for the others, soonest first."""
    now = [target for target in targets if target.delay <= 0]
    later = sorted(
        ((target, paged_at + dt.timedelta(seconds=target.delay)) for target in targets if target.delay > 0),
        key=lambda pair: pair[1],
    )
    return now, later


def for_notice(targets):
    """Where a notice about a change goes, at once (nothing to wait for): where the person's page goes first,
    each contact method once."""
    soonest = min((target.delay for target in targets), default=0)
    seen, once = set(), []
    for target in targets:
        if target.delay == soonest and (target.channel, target.recipient) not in seen:
            seen.add((target.channel, target.recipient))
            once.append(target)
    return once


def stops(status):
    """A later delivery goes only while the incident is still open: an acknowledgement by anyone stops it."""
    return status != "open"
