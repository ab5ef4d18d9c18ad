#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-report.sh RESULTS BASELINE_NAME: turn the lines of bench.sh
# (NAME UNIT NPA BASELINE [DRIVER [lower]]) into .output/bench.json and a
# Markdown table; DRIVER names the in-tree baseline of a line, BASELINE_NAME
# where a line names none; BASELINE "-" for a row without one. The ratio is
# always npa / baseline; "lower" marks a row where lower is better (frames
# lost, time), "better" in the JSON says which.
set -eu
in=$1 base=$2
awk -v base="$base" '
	BEGIN { printf "[" }
	NF >= 4 && NF <= 6 {
		better = (NF == 6 && $6 == "lower") ? "lower" : "higher"
		bl = ($4 == "-") ? "null" : $4
		ratio = ($4 != "-" && $4 > 0) ? sprintf("%.3f", $3 / $4) : "null"
		printf "%s\n  {\"name\": \"%s\", \"unit\": \"%s\", \"npa\": %s, \"baseline\": %s, \"baseline_name\": \"%s\", \"ratio\": %s, \"better\": \"%s\"}", \
			(n++ ? "," : ""), $1, $2, $3, bl, (NF >= 5 ? $5 : base), ratio, better
	}
	END { print "\n]" }' "$in" > .output/bench.json
jq -e 'length > 0' .output/bench.json > /dev/null
echo "| metric | unit | npa + plugin | in-tree driver | baseline | ratio |"
echo "|---|---|---|---|---|---|"
jq -r '.[] | "| \(.name) | \(.unit) | \(.npa) | \(.baseline_name) | \(.baseline // "-") | \(.ratio // "-")\(if .better == "lower" then " (lower is better)" else "" end) |"' .output/bench.json
