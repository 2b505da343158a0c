#!/bin/sh
# What a fresh machine needs before the two commands (README, "Before the two commands"), said
# plainly before pip or npm would fail deep inside. `check_machine.sh run`: Python 3.11+ with its
# venv module, or stop. `check_machine.sh test`: also name the tools the tests use that are
# missing, and which tests skip (with their reason, in pytest's summary) without them.
PYTHON=${PYTHON:-python3}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "missing: Python 3.11 or newer ('$PYTHON' is absent or older;" \
         "Debian: sudo apt-get install python3)"
    exit 1
fi
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    echo "missing: the venv module of '$PYTHON' (Debian: sudo apt-get install python3-venv)"
    exit 1
fi
# WeasyPrint (printed programmes) draws with Pango; Chinese needs a CJK font on the server too.
"$PYTHON" -c "import ctypes.util, sys; sys.exit(not ctypes.util.find_library('pangoft2-1.0'))" 2>/dev/null ||
    echo "missing: Pango (Debian: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0):" \
         "printed programmes (PDF) will fail"
[ "$1" = test ] || exit 0

command -v npm >/dev/null 2>&1 ||
    echo "missing: Node.js and npm (Debian: sudo apt-get install npm):" \
         "the ical.js, node-ical and accessibility checks will be skipped"
[ -x "$CHROMIUM" ] ||
    echo "missing: $CHROMIUM (Debian: sudo apt-get install chromium):" \
         "the browser tests will be skipped"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" ||
    echo "missing: CJK fonts (Debian: sudo apt-get install fonts-noto-cjk):" \
         "Chinese shows as boxes in the browser tests' screenshots"
[ -n "$TEST_DATABASE_URL" ] ||
    echo "note: TEST_DATABASE_URL is not set:" \
         "the PostgreSQL runs of the database tests will be skipped"
exit 0
