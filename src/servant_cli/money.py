"""Money as servant reads it out of a cost typed as text ("$60", "60 €", "1,200.50",
"EUR 45"): the amount and its currency, and an amount as shown. Amounts are only ever
added up or compared within one currency (there is no rate to use)."""

from __future__ import annotations

import re
from decimal import Decimal

#: Currency symbols and the ISO code that means the same, so "60 €" and "EUR 45" add up.
_SYMBOL_CODE = {"€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₺": "TRY", "₽": "RUB"}
_CODE_SYMBOL = {code: symbol for symbol, code in _SYMBOL_CODE.items()}
_SYMBOLS = "$€£¥₹₩₪₺₽¢฿₫₴₦"
_CURRENCY = rf"(?:[A-Za-z]{{0,3}}[{_SYMBOLS}]|[^\W\d_]{{1,4}}\.?)"
_COST = re.compile(rf"\s*(?:(?P<before>{_CURRENCY})\s*)?(?P<number>\d[\d.,]*)\s*(?P<after>{_CURRENCY})?\s*")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:X\d{3})+")


def parse_cost(text: str) -> tuple[str, Decimal] | None:
    """(currency, amount) of a cost as typed, or None when it cannot be read.

    The currency is "" when none is given, an ISO code for a symbol that has one ("€"
    and "eur" are both "EUR"), else the symbol or word as typed ("$", "kr"). In the
    number, the last of "." and "," is the decimal mark when both appear; one mark
    followed by groups of three digits groups thousands ("1,200", "1.200.000").
    """
    match = _COST.fullmatch(text)
    if match is None or (match["before"] and match["after"]):
        return None
    amount = _amount(match["number"])
    if amount is None:
        return None
    return _currency(match["before"] or match["after"] or ""), amount


def _amount(number: str) -> Decimal | None:
    marks = [char for char in number if char in ".,"]
    if not marks:
        return Decimal(number)
    if number[-1] in ".,":
        return None
    last = marks[-1]
    if len(set(marks)) == 2:
        group = "," if last == "." else "."
        whole, _, cents = number.rpartition(last)
        if last in whole or not _GROUPED.fullmatch(whole.replace(group, "X")):
            return None
        return Decimal(whole.replace(group, "") + "." + cents)
    if _GROUPED.fullmatch(number.replace(last, "X")):
        return Decimal(number.replace(last, ""))
    return None if len(marks) > 1 else Decimal(number.replace(last, "."))


def _currency(text: str) -> str:
    text = text.rstrip(".")
    if text in _SYMBOL_CODE:
        return _SYMBOL_CODE[text]
    if len(text) == 3 and text.isascii() and text.isalpha():
        return text.upper()
    return text


def money(currency: str, amount: Decimal) -> str:
    """An amount as shown: "$60", "€1,200.50", "45 CHF", "300 kr", "12.50" without a currency."""
    number = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    shown = _CODE_SYMBOL.get(currency, currency)
    if not shown:
        return f"{number} (no currency)"
    return f"{shown}{number}" if shown[-1] in _SYMBOLS else f"{number} {shown}"
