"""Test helpers for contributions."""


def csv_statement(*rows: tuple[str, str, str]) -> bytes:
    lines = ["Date;Libellé;Montant;Devise;Référence"]
    lines += [f"{d};{label};{amount};MAD;BK-{d}-{amount}" for d, label, amount in rows]
    return "\n".join(lines).encode("utf-8")
