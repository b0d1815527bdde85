# Day-month-year with the month as a word and a 24-hour clock: unambiguous for readers in every country
# (12/09/2026 is a different day in Nairobi and in Bogotá).
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
