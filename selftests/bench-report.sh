#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-report.sh RESULTS BASELINE_NAME: turn the lines of bench.sh
# (NAME UNIT NPA BASELINE [DRIVER]) into .output/bench.json and a Markdown
# table; DRIVER names the in-tree baseline of a line, BASELINE_NAME where
# a line names none.
set -eu
in=$1 base=$2
awk -v base="$base" '
	BEGIN { printf "[" }
	NF == 4 || NF == 5 {
		ratio = ($4 > 0) ? $3 / $4 : 0
		printf "%s\n  {\"name\": \"%s\", \"unit\": \"%s\", \"npa\": %s, \"baseline\": %s, \"baseline_name\": \"%s\", \"ratio\": %.3f}", \
			(n++ ? "," : ""), $1, $2, $3, $4, (NF == 5 ? $5 : base), ratio
	}
	END { print "\n]" }' "$in" > .output/bench.json
jq -e 'length > 0' .output/bench.json > /dev/null
echo "| metric | unit | npa + plugin | in-tree driver | baseline | ratio |"
echo "|---|---|---|---|---|---|"
jq -r '.[] | "| \(.name) | \(.unit) | \(.npa) | \(.baseline_name) | \(.baseline) | \(.ratio) |"' .output/bench.json
