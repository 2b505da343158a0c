"""Records with bilingual fields (`<field>_en` / `<field>_zh` pairs: titles, places, hotels, room
types, meeting points) read them one way: in the reader's language, else in the other one."""
from __future__ import annotations


class Bilingual:
    """Mixed into a model with `_en` / `_zh` column pairs."""

    def text(self, field: str, language: str) -> tuple[str, str | None]:
        """(value, None) in `language`, else (the other language's value, its language)."""
        if value := getattr(self, f"{field}_{language}", ""):
            return value, None
        other = "zh" if language == "en" else "en"
        fallback = getattr(self, f"{field}_{other}", "")
        return fallback, (other if fallback else None)

    def shown(self, field: str, language: str) -> str:
        """A bilingual field's value in `language`, else in the other one ("" when neither)."""
        return self.text(field, language)[0]
