"""The benchmark's printed report: the results table and query plans."""

from __future__ import annotations

from collections.abc import Callable


def table(results) -> str:
    by_name: dict[str, dict] = {}
    for result in results:
        by_name.setdefault(result.endpoint, {})[result.mode] = result
    header = ["endpoint", "cold med", "cold p95", "cold q", "warm med", "warm p95", "warm q", "KiB",
              "n"]  # fmt: skip
    rows = [header]
    for name, modes in by_name.items():
        cold, warm = modes["cold"], modes.get("warm")
        rows.append(
            [
                name,
                f"{cold.median_ms:.1f}",
                f"{cold.p95_ms:.1f}",
                str(cold.queries),
                f"{warm.median_ms:.2f}" if warm else "-",
                f"{warm.p95_ms:.2f}" if warm else "-",
                str(warm.queries) if warm else "-",
                f"{cold.bytes / 1024:.0f}",
                str(cold.requests),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_plans(client, endpoints, plans: Callable) -> None:
    """Each endpoint's queries of one cold request, with their plans."""
    for endpoint in endpoints:
        print(f"\n== plans: {endpoint.name} ({endpoint.url})")
        for n, (sql, plan) in enumerate(plans(client, endpoint), 1):
            shown = sql if len(sql) < 600 else sql[:600] + " …"
            print(f"-- query {n}: {shown}")
            print("   " + plan.replace("\n", "\n   "))
