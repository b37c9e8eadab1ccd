"""Health report combining dependency checks; the service is healthy only when every check passes."""


def health(checks: dict[str, bool]) -> dict[str, object]:
    failing = sorted(name for name, ok in checks.items() if not ok)
    return {"status": "ok" if not failing else "degraded", "failing": failing}
