"""Path converters of the project's URLs.

`<id:pk>` is Django's `<id:pk>` bounded to what a database id can hold: at most 18 digits,
below the signed 64-bit limit of PostgreSQL's bigint and SQLite's INTEGER. A longer number
does not match the pattern, so it answers 404 like any unknown address, where `<id:>` would
hand the view a number the database driver refuses (OverflowError, a 500).
"""

from django.urls.converters import IntConverter


class DatabaseIdConverter(IntConverter):
    """A positive database id in a URL: "0" to "999999999999999999" (int)."""

    regex = "[0-9]{1,18}"
