"""How a passport number reads where the reader is not its holder or an organizer (the liaison
who typed it, the letters' public verification page): enough to recognise it, not to use it."""
from __future__ import annotations


def mask_passport(number: str | None) -> str:
    """`E12345678` -> `E1****678`: the first two and the last three characters, four stars
    between (always four, so the length is not given away); "" stays "", a number of five or
    fewer characters shows only its last one."""
    number = (number or "").strip()
    if not number:
        return ""
    if len(number) <= 5:
        return "****" + number[-1]
    return f"{number[:2]}****{number[-3:]}"
