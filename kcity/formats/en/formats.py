# Day-month-year with the month as a word and a 24-hour clock: unambiguous for readers in every country
# (12/09/2026 is a different day in Nairobi and in Bogotá). Every language in settings.LANGUAGES has a module
# like this one; the names after TIME_FORMAT are the portal's own (core.dates.CUSTOM_FORMATS), read through the
# `date` filter or core.dates.date_in. English defines every name: a language without one falls back to it.
DATE_FORMAT = "j F Y"  # 1 December 2026
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"  # 1 Dec 2026
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DAY_DATE_FORMAT = "l j F Y"  # Friday 4 December 2026
SHORT_DAY_DATE_FORMAT = "D j M Y"  # Fri 4 Dec 2026
DAY_MONTH_DAY_FORMAT = "l j F"  # Friday 4 December
SHORT_DAY_MONTH_DAY_FORMAT = "D j M"  # Fri 4 Dec
SHORT_YEAR_MONTH_FORMAT = "M Y"  # Dec 2026
WEEKDAY_FORMAT = "l"  # Friday
SHORT_WEEKDAY_FORMAT = "D"  # Fri
DATETIME_ZONE_FORMAT = "j F Y H:i T"  # 1 December 2026 14:30 KST
