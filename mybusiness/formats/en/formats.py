# 4 Dec 2026 and 4 Dec 2026 14:05: the month written out is read the same way in London and New
# York (12/04 is not), and the 24-hour clock matches the French pages of the same group.
DATE_FORMAT = SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j M Y H:i"
