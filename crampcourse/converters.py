"""URL converters the apps share."""

from django.db import connection
from django.urls import register_converter


class DatabaseIdConverter:
    """<id:pk>: a whole number the database's integer columns can hold.

    A bigger number matches no URL, so it is a 404 like any missing row, instead of an
    OverflowError from the database driver (SQLite) when the view looks it up.
    """

    regex = "[0-9]+"

    @property
    def largest(self):
        return connection.ops.integer_field_range("BigIntegerField")[1]

    def to_python(self, value):
        number = int(value)
        if number > self.largest:
            raise ValueError(f"{value} is beyond the database's integers")
        return number

    def to_url(self, value):
        return str(value)


register_converter(DatabaseIdConverter, "id")
