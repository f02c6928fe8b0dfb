#!/usr/bin/env python3
"""Line and branch coverage per source folder, from gcovr's --json-summary."""
import json
import os
import sys

summary = json.load(open(sys.argv[1]))
folders = {}
for f in summary["files"]:
    folder = os.path.dirname(f["filename"]) or "."
    totals = folders.setdefault(folder, [0, 0, 0, 0])
    totals[0] += f["line_covered"]
    totals[1] += f["line_total"]
    totals[2] += f["branch_covered"]
    totals[3] += f["branch_total"]


def percent(covered, total):
    return f"{100.0 * covered / total:5.1f} %" if total else "    – "


print(f"{'folder':<16} {'lines':>8} {'covered':>9} {'branches':>9} {'covered':>9}")
all_totals = [0, 0, 0, 0]
for folder in sorted(folders):
    t = folders[folder]
    all_totals = [a + b for a, b in zip(all_totals, t)]
    print(f"{folder:<16} {t[1]:>8} {percent(t[0], t[1]):>9} {t[3]:>9} {percent(t[2], t[3]):>9}")
t = all_totals
print(f"{'all':<16} {t[1]:>8} {percent(t[0], t[1]):>9} {t[3]:>9} {percent(t[2], t[3]):>9}")
