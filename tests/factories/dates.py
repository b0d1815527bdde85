"""Moments in a named zone, for tests that pin "now" or compare times across zones."""

import datetime
import zoneinfo


def aware(*args, tz="Asia/Seoul"):
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(tz))
