"""CSV import of units and of contacts: `table` reads a spreadsheet's CSV file into rows, `rows`
checks every row and writes all of them or none."""
from .rows import ImportFailed, ImportResult, import_contacts, import_units  # noqa: F401
from .table import MAX_BYTES, MAX_ROWS  # noqa: F401
