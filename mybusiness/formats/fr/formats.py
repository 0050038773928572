# 04/12/2026 and 04/12/2026 14:05: the day first and a 24-hour clock, as French users write them.
DATE_FORMAT = SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "d/m/Y H:i"
