"""Prices a lead from its score: hot leads cost more, volume earns a discount."""


def price(score: int, volume: int = 1) -> float:
    if not 0 <= score <= 100:
        raise ValueError("score must be between 0 and 100")
    base = 5.0 if score < 40 else 12.0 if score < 70 else 25.0
    discount = 0.1 if volume >= 100 else 0.0
    return round(base * volume * (1 - discount), 2)
