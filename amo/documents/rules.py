"""Verification codes: 12 characters of an unambiguous alphabet, shown in groups of four."""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_code() -> str:
    """12 random characters of the 32-letter alphabet (5 bits each, so no bias)."""
    return "".join(ALPHABET[byte & 31] for byte in secrets.token_bytes(12))


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_code(text: str) -> str:
    """What a person typed (any case, dashes, spaces) to the stored code form."""
    return "".join(ch for ch in text.upper() if ch.isalnum())
