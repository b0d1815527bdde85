# Indonesian dates as the PUEBI style guide writes them ("1 Desember 2026", "Jumat, 4 Desember 2026") and
# times with a full stop ("14.30"). Digit grouping comes from Django's own Indonesian formats (650.000.000).
# The names after TIME_FORMAT are the portal's own (core.dates.CUSTOM_FORMATS).
DATE_FORMAT = "j F Y"  # 1 Desember 2026
DATETIME_FORMAT = "j F Y H.i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H.i"
TIME_FORMAT = "H.i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DAY_DATE_FORMAT = "l, j F Y"  # Jumat, 4 Desember 2026
SHORT_DAY_DATE_FORMAT = "D, j M Y"
DAY_MONTH_DAY_FORMAT = "l, j F"
SHORT_DAY_MONTH_DAY_FORMAT = "D, j M"
SHORT_YEAR_MONTH_FORMAT = "M Y"
WEEKDAY_FORMAT = "l"
SHORT_WEEKDAY_FORMAT = "D"
DATETIME_ZONE_FORMAT = "j F Y H.i T"
