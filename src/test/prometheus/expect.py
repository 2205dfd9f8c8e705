"""Checks a Prometheus text exposition against expectations, reading it with the Prometheus project's own parser.

Usage: expect.py FILE EXPECTATION...   where EXPECTATION is NAME>N, NAME>=N or NAME=N, compared with the sum of every
sample called NAME (all label sets). Prints one line per expectation; exits 1 if any fails or the file does not parse.
The container checks (src/test/containers/run.sh) use it on each container's /metrics.
"""
import re
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    path, expectations = sys.argv[1], sys.argv[2:]
    try:
        with open(path, encoding="utf-8") as f:
            families = list(text_string_to_metric_families(f.read()))
    except Exception as error:
        print("not a valid Prometheus exposition: %s" % error)
        sys.exit(1)
    sums = {}
    for family in families:
        for sample in family.samples:
            sums[sample.name] = sums.get(sample.name, 0.0) + sample.value
    failed = 0
    for expectation in expectations:
        name, op, wanted = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(>=|>|=)([0-9.]+)", expectation).groups()
        value = sums.get(name)
        ok = value is not None and {">": value > float(wanted), ">=": value >= float(wanted), "=": value == float(wanted)}[op]
        print("%s %s (is %s)" % ("ok:" if ok else "FAILED:", expectation, "absent" if value is None else value))
        failed += not ok
    sys.exit(1 if failed else 0)


main()
