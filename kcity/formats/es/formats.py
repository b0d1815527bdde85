# Spanish dates as the RAE writes them ("1 de diciembre de 2026"), month and weekday names in lower case, a
# 24-hour clock. Digit grouping and separators come from Django's own Spanish formats. The names after
# TIME_FORMAT are the portal's own (core.dates.CUSTOM_FORMATS).
DATE_FORMAT = r"j \d\e F \d\e Y"  # 1 de diciembre de 2026
DATETIME_FORMAT = r"j \d\e F \d\e Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
DAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"  # viernes, 4 de diciembre de 2026
SHORT_DAY_DATE_FORMAT = "D j M Y"
DAY_MONTH_DAY_FORMAT = r"l, j \d\e F"
SHORT_DAY_MONTH_DAY_FORMAT = "D j M"
SHORT_YEAR_MONTH_FORMAT = "M Y"
WEEKDAY_FORMAT = "l"
SHORT_WEEKDAY_FORMAT = "D"
DATETIME_ZONE_FORMAT = r"j \d\e F \d\e Y H:i T"
