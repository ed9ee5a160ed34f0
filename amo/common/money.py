"""Money: Decimal dirhams with two places, rounded half up. Never floats."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def mad(value: object) -> Decimal:
    """Parse an amount in MAD; raises ValueError on anything that is not a finite number."""
    if isinstance(value, float):
        raise TypeError("Money is never a float")
    try:
        amount = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise ValueError("amount_format") from exc
    if not amount.is_finite():
        raise ValueError("amount_format")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_mad(amount: Decimal) -> str:
    whole, _, cents = f"{Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP):.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{cents} MAD"
