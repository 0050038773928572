"""The portal's date formats, one per language (``settings.FORMAT_MODULE_PATH``).

Each language has one date format and one date-and-time format: the long and short names give the
same text, so a list, a page, an email and the certificate write a date the same way. Input
formats and the others stay Django's.
"""
