"""The report: latency, statuses, server tracebacks, and the books of translation versions."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from pathlib import Path

from bench.load.client import Record, Run
from bench.load.options import ROOT, TOKEN_RE

# -- the report ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def table(rows: list[list[str]], right_from: int = 1) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < right_from else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def server_errors(log: Path) -> tuple[list[dict], Counter]:
    """Tracebacks in gunicorn's stderr, grouped by exception and the deepest project frame;
    and gunicorn's own error lines (worker timeouts, crashes)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    lines = text.splitlines()
    starts = re.compile(r"^(\[\d{4}-\d\d-\d\d |[A-Z][A-Za-z ]+: /)")
    records, current = [], None
    for line in lines:
        if starts.match(line):
            current = [line]
            records.append(current)
        elif current is not None:
            current.append(line)
    groups: dict[tuple, dict] = {}
    gunicorn = Counter()
    for record in records:
        head = record[0]
        if head.startswith("[") and re.search(r"\[(ERROR|CRITICAL)\]", head):
            gunicorn[re.sub(r"\d+", "N", re.sub(r"^\[[^\]]+\] \[\d+\] ", "", head))] += 1
        if not any(line.startswith("Traceback") for line in record):
            continue
        exception = next(
            (
                line
                for line in reversed(record)
                if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Violation|Exit|Interrupt)\b", line)
            ),
            record[-1],
        )
        frames = [
            line.strip()
            for line in record
            if line.startswith('  File "') and str(ROOT) in line and "/.venv/" not in line
        ]
        frame = frames[-1].replace(str(ROOT) + "/", "") if frames else "(no project frame)"
        key = (re.sub(r"\d+", "N", exception)[:160], frame)
        group = groups.setdefault(
            key,
            {
                "count": 0,
                "exception": exception,
                "frame": frame,
                "paths": Counter(),
                "traceback": "\n".join(record),
            },
        )
        group["count"] += 1
        group["paths"][head] += 1
    return sorted(groups.values(), key=lambda g: -g["count"]), gunicorn


def check_versions(run: Run) -> dict:
    """Every submitted version exactly once; numbers 1, 2, 3… per article and language."""
    from articles.models import TranslationVersion

    rows = list(
        TranslationVersion.objects.values_list(
            "pk", "article__slug", "language", "version", "title",
            "article__language", "article__original_language",
        )
    )  # fmt: skip
    by_token: dict[str, list[tuple]] = defaultdict(list)
    by_pk = {}
    per_text: dict[tuple[str, str], list[int]] = defaultdict(list)
    imported_base: set[tuple[str, str]] = set()
    for pk, slug, language, version, title, base_language, original in rows:
        by_pk[pk] = (slug, language, version, title)
        per_text[(slug, language)].append(version)
        if base_language == language and base_language != original:
            imported_base.add((slug, language))
        match = TOKEN_RE.search(title)
        if match:
            by_token[match.group(1)].append((pk, slug, language, version))
    accepted = [s for s in run.submissions if s.status == 201]
    uncertain = [s for s in run.submissions if s.status == 0 or s.status >= 500]
    lost, duplicated, mismatched = [], [], []
    for s in accepted:
        found = by_token.get(s.token, [])
        if not found:
            lost.append(s)
        elif len(found) > 1:
            duplicated.append((s, found))
        elif found[0] != (s.id, s.article, s.language, s.version):
            mismatched.append((s, found[0]))
    committed_anyway = [s for s in uncertain if by_token.get(s.token)]
    duplicated += [(s, by_token[s.token]) for s in uncertain if len(by_token.get(s.token, [])) > 1]
    answered = Counter((s.article, s.language, s.version) for s in accepted)
    same_number = {k: n for k, n in answered.items() if n > 1}
    gaps = {}
    for key, versions in per_text.items():
        start = 2 if key in imported_base else 1
        expected = list(range(start, start + len(versions)))
        if sorted(versions) != expected:
            gaps[key] = sorted(versions)
    return {
        "submitted": len(run.submissions),
        "accepted": len(accepted),
        "rows": len(rows),
        "texts": len(per_text),
        "lost": lost,
        "duplicated": duplicated,
        "mismatched": mismatched,
        "same_number_answered_twice": same_number,
        "gaps": gaps,
        "uncertain": uncertain,
        "committed_anyway": committed_anyway,
    }


def report(run: Run, seconds: float, log: Path, args) -> tuple[int, dict]:
    records = run.records
    everything = run.setup_records + run.records
    answered = [r for r in records if r.status]
    latencies = [r.ms for r in answered]
    statuses = Counter(r.status for r in records)
    print()
    print(
        f"{len(records)} requests in {seconds:.1f} s = {len(records) / seconds:.1f} req/s; "
        f"latency p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f}"
        f" ms, max {max(latencies, default=0):.0f} ms"
    )
    signed = [r.ms for r in run.setup_records]
    print(
        f"(before the clock: {len(signed)} sign-in requests, p50 {percentile(signed, 0.5):.0f} ms;"
        " their errors are listed below with the rest)"
    )
    print(
        "status codes: "
        + ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(statuses.items()))
    )

    by_template: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        by_template[(r.method, r.template)].append(r)
    rows = [["request", "n", "p50 ms", "p99 ms", "non-2xx/3xx"]]
    for (method, template), rs in sorted(by_template.items(), key=lambda kv: -len(kv[1])):
        ms = [r.ms for r in rs if r.status]
        bad = sum(1 for r in rs if not 200 <= r.status < 400)
        rows.append([f"{method} {template}", str(len(rs)), f"{percentile(ms, 0.5):.0f}",
                     f"{percentile(ms, 0.99):.0f}", str(bad or "")])  # fmt: skip
    print()
    print(table(rows))

    def grouped(selected: list[Record], title: str) -> None:
        """Grouped by status, method, path template and body (numbers in it aside)."""
        groups: dict[tuple, list[Record]] = defaultdict(list)
        for r in selected:
            groups[(r.status, r.method, r.template, re.sub(r"\d+", "N", r.detail))].append(r)
        print(f"\n{title}: {len(selected)}")
        for (status, method, template, _detail), rs in sorted(
            groups.items(), key=lambda kv: -len(kv[1])
        ):
            example = rs[0]
            print(f"  {len(rs):5d} × {status or 'no answer'} {method} {template}")
            print(f"          e.g. {example.path}: {example.detail}")

    server = [r for r in everything if r.status >= 500 or r.status == 0]
    throttled = [r for r in everything if r.status == 429]
    other = [r for r in everything if 400 <= r.status < 500 and r.status != 429]
    grouped(server, "5xx and unanswered")
    grouped(throttled, "429 (throttled or locked out)")
    grouped(other, "other 4xx")

    if run.outcomes:
        print("\nworkflow and edit outcomes:")
        for (what, result), n in sorted(run.outcomes.items()):
            print(f"  {n:5d} × {what}: {result}")
    if run.refusals:
        print("\nadmin forms refused (the admin's own form posted back; races show here too):")
        for (what, message), n in run.refusals.most_common():
            print(f"  {n:5d} × {what}: {message}")

    tracebacks, gunicorn_errors = server_errors(log)
    print(f"\nserver tracebacks (gunicorn's log): {sum(g['count'] for g in tracebacks)}")
    for group in tracebacks:
        print(f"  {group['count']:5d} × {group['exception'][:300]}")
        print(f"          at {group['frame']}")
        for path, n in group["paths"].most_common(5):
            print(f"          {n:5d} × {path}")
    for group in tracebacks:
        print(f"\n--- first traceback of: {group['exception'][:120]}")
        print("\n".join(group["traceback"].splitlines()[:80]))
    if gunicorn_errors:
        print("\ngunicorn errors:")
        for line, n in gunicorn_errors.most_common():
            print(f"  {n:5d} × {line[:200]}")

    if run.client_errors:
        print(f"\nload-test client errors: {len(run.client_errors)}")
        for text in Counter(run.client_errors).most_common(10):
            print("  " + text[0].replace("\n", "\n    ")[:1500])

    versions = check_versions(run)
    print(
        f"\ntranslation versions: {versions['submitted']} submitted, {versions['accepted']} "
        f"accepted (201); {versions['rows']} rows in {versions['texts']} article+language texts"
    )
    problems = 0
    for s in versions["lost"]:
        print(f"  LOST: {s.token} {s.article} {s.language} v{s.version} (id {s.id})")
    for s, found in versions["duplicated"]:
        print(f"  DUPLICATED: {s.token} {s.article} {s.language}: rows {found}")
    for s, found in versions["mismatched"]:
        print(f"  MISMATCH: answered id {s.id} v{s.version}, stored {found}")
    for key, n in versions["same_number_answered_twice"].items():
        print(f"  SAME NUMBER ANSWERED {n} TIMES: {key}")
    for (slug, language), numbers in versions["gaps"].items():
        print(f"  NOT GAPLESS: {slug} {language}: {numbers}")
    for s in versions["committed_anyway"]:
        print(f"  committed although the answer was {s.status or 'none'}: {s.token} {s.article}")
    problems += sum(
        len(versions[k])
        for k in ("lost", "duplicated", "mismatched", "same_number_answered_twice", "gaps")
    )
    if not problems:
        print("  every accepted version is stored exactly once; numbers are gapless")

    failures = len(server) + problems + len(run.client_errors) + sum(gunicorn_errors.values())
    verdict = "FAILED" if failures else "passed"
    print(
        f"\n{verdict}: {len(server)} 5xx/unanswered, {problems} version problems, "
        f"{len(run.client_errors)} client errors, {sum(gunicorn_errors.values())} gunicorn "
        f"errors; {len(throttled)} throttled (429), {len(other)} other 4xx"
    )
    summary = {
        "requests": len(records),
        "seconds": round(seconds, 1),
        "req_per_s": round(len(records) / seconds, 1),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": len(server),
        "throttled": len(throttled),
        "other_4xx": len(other),
        "tracebacks": [
            {k: (dict(v) if isinstance(v, Counter) else v) for k, v in g.items()}
            for g in tracebacks
        ],
        "versions": {k: (len(v) if isinstance(v, list | dict) else v) for k, v in versions.items()},
    }
    return (1 if failures else 0), summary
