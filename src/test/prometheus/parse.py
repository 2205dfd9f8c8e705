"""Reads a Prometheus text exposition on standard input and prints its samples as JSON.

The parsing is done by the Prometheus project's own Python client (prometheus_client.parser, Debian's
python3-prometheus-client), not by Duplex: the tests read /metrics the way a scraper does. Each sample is
{"family", "type", "name", "labels", "value"}; values that JSON cannot carry (NaN, +Inf, -Inf) are strings.
An exposition the parser refuses exits with status 1 and its error.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    samples = []
    try:
        for family in text_string_to_metric_families(sys.stdin.read()):
            for sample in family.samples:
                value = sample.value
                if not math.isfinite(value):
                    value = str(value)
                samples.append({"family": family.name, "type": family.type, "name": sample.name,
                                "labels": sample.labels, "value": value})
    except Exception as error:  # the parser's ValueError and friends: say what it refused
        print("not a valid Prometheus exposition: %s" % error, file=sys.stderr)
        sys.exit(1)
    json.dump(samples, sys.stdout)


main()
