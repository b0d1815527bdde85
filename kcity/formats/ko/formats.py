# Korean dates as Korean readers write them (year, month, day, then the weekday), with a 24-hour clock like the
# English pages. The names after TIME_FORMAT are the portal's own (core.dates.CUSTOM_FORMATS).
DATE_FORMAT = "Y년 n월 j일"  # 2026년 12월 1일
DATETIME_FORMAT = "Y년 n월 j일 H:i"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
DAY_DATE_FORMAT = "Y년 n월 j일 l"  # 2026년 12월 4일 금요일
SHORT_DAY_DATE_FORMAT = "Y. n. j. (D)"  # 2026. 12. 4. (금)
DAY_MONTH_DAY_FORMAT = "n월 j일 l"  # 12월 4일 금요일
SHORT_DAY_MONTH_DAY_FORMAT = "n. j. (D)"
SHORT_YEAR_MONTH_FORMAT = "Y. n."
WEEKDAY_FORMAT = "l"
SHORT_WEEKDAY_FORMAT = "D"
DATETIME_ZONE_FORMAT = "Y년 n월 j일 H:i T"
