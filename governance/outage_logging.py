"""The log of a database outage: one line per refused request, not a trace.

Django logs every 5xx answer on the `django.request` logger with the exception that caused it.
The 503 of a database out of reach (governance.api.exceptions.api_aware_server_error) is an
outage the portal answered as designed, not a fault of its code: a trace per request (hundreds a
second under load while PostgreSQL restarts) would bury the traces of real errors, and be read as
some. The filter keeps the record, as a warning naming the path and the driver's first line.
"""

import logging


class DatabaseOutageWithoutTrace(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 503 or not record.exc_info:
            return True
        from django.db import InterfaceError, OperationalError

        error = record.exc_info[1]
        if isinstance(error, (OperationalError, InterfaceError)):
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            record.msg = f"{record.msg} (database unavailable: %s)"
            record.args = (*(record.args or ()), first_line)
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
        return True
