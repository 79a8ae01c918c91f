"""Codes the loader and the schema mapping report (the consistency rules carry their own)."""

DATA_CODES: dict[str, str] = {
    "HB001": "The file is too large or cannot be read.",
    "HB002": "The file is not UTF-8 text.",
    "HB003": "The file is not valid YAML, or a key or the whole file has the wrong shape.",
    "HB004": "A tab is used for indentation.",
    "HB005": "A YAML tag (such as !!python/object) or merge key is used; data files hold plain values only.",
    "HB006": "The file is empty.",
    "HB007": "The same key appears twice in one mapping.",
    "HB008": "Anchors and aliases expand to too many values (an alias bomb).",
    "HB009": "A file in data/ is not one the handbook reads (a misspelt name?).",
    "HB010": "A required data file is missing.",
    "HB101": "Unknown field (often a typo; the closest field is suggested).",
    "HB102": "A required field is missing.",
    "HB103": "A value has the wrong type (text, number, list or mapping).",
    "HB104": (
        "A value is not valid: phone number, e-mail, date, duration, id, range; text with a control or "
        "invisible character, too long or nested too deep; an id the build uses for a file of its own; "
        "a tel: link that dials another number than it shows."
    ),
    "HB105": "A value is not one of the allowed choices.",
    "HB106": "A value is still a placeholder that handbook init wrote (\"TODO: …\"): replace it.",
    "HB201": "Two entries share one id.",
    "HB202": "A reference names an id that does not exist.",
}
