# Arabic dates ("1 ديسمبر 2026", "الجمعة، 4 ديسمبر 2026") with Western digits, as most Arabic-language
# government sites show them, and a 24-hour clock. Django's Arabic formats do not group digits; amounts of
# hundreds of millions need it, so digits are grouped in threes with a comma. The names after TIME_FORMAT are
# the portal's own (core.dates.CUSTOM_FORMATS).
DATE_FORMAT = "j F Y"  # 1 ديسمبر 2026
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DAY_DATE_FORMAT = "l، j F Y"  # الجمعة، 4 ديسمبر 2026
SHORT_DAY_DATE_FORMAT = "D، j M Y"
DAY_MONTH_DAY_FORMAT = "l، j F"
SHORT_DAY_MONTH_DAY_FORMAT = "D، j M"
SHORT_YEAR_MONTH_FORMAT = "M Y"
WEEKDAY_FORMAT = "l"
SHORT_WEEKDAY_FORMAT = "D"
DATETIME_ZONE_FORMAT = "j F Y H:i T"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
