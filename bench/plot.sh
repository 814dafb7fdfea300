# PNG charts for the bench scripts (sourced after lib.sh): one place for gnuplot's settings.
# Every function writes one PNG and never fails the run: a missing gnuplot is logged, not fatal.

plot_ready() { need_tool gnuplot gnuplot-nox; }

_plot_head() { # PNG TITLE
  printf 'set terminal pngcairo size 1000,560 noenhanced font "sans,10"\nset output "%s"\nset title "%s"\nset grid\nset key outside right top\n' "$1" "$2"
}

# plot_bars PNG TITLE DATA: grouped bars, log scale. DATA has a header line "scenario A B" (series names)
# and one line per scenario; an empty figure is "-". Used for throughput, Jeton against the peer.
plot_bars() {
  local png=$1 title=$2 data=$3
  plot_ready || return 0
  local series; series=$(head -1 "$data" | awk '{print NF}')
  {
    _plot_head "$png" "$title"
    printf 'set style data histograms\nset style histogram clustered gap 1\nset style fill solid 0.8 border -1\n'
    printf 'set logscale y\nset ylabel "requests/s (log scale)"\nset xtics rotate by -25\nset datafile missing "-"\n'
    printf 'plot '
    for ((i = 2; i <= series; i++)); do
      [ "$i" -gt 2 ] && printf ', '
      printf '"%s" using %d:xtic(1) title columnheader(%d)' "$data" "$i" "$i"
    done
    printf '\n'
  } | gnuplot 2>/dev/null || log "could not plot $png"
}

# plot_lines PNG TITLE XLABEL YLABEL DATA COL:LABEL...: one line per named column of a whitespace-separated
# DATA file whose first column is the x value (seconds). A COL may be "DATA2@COL" to take a column of another file.
plot_lines() {
  local png=$1 title=$2 xlabel=$3 ylabel=$4 data=$5; shift 5
  plot_ready || return 0
  {
    _plot_head "$png" "$title"
    printf 'set xlabel "%s"\nset ylabel "%s"\nset yrange [0:*]\nset datafile missing "-"\n' "$xlabel" "$ylabel"
    printf 'plot '
    local first=1 spec file col label
    for spec in "$@"; do
      col=${spec%%:*}; label=${spec#*:}; file=$data
      case "$col" in *@*) file=${col%@*}; col=${col#*@} ;; esac
      [ $first = 1 ] || printf ', '; first=0
      printf '"%s" using 1:%s with linespoints pt 7 ps 0.4 title "%s"' "$file" "$col" "$label"
    done
    printf '\n'
  } | gnuplot 2>/dev/null || log "could not plot $png"
}

# slope_per_min DATA COL FROM_FRACTION TO_FRACTION: least-squares slope of column COL against column 1 (seconds)
# over that part of the rows (e.g. 0.667 1 for the last third), per minute.
slope_per_min() {
  awk -v c="$2" -v a="$3" -v b="$4" '
    !/^#/ && NF { x[n] = $1; y[n] = $c; n++ }
    END {
      lo = int(n * a); hi = int(n * b); if (hi > n) hi = n
      for (i = lo; i < hi; i++) { k++; sx += x[i]; sy += y[i]; sxx += x[i]*x[i]; sxy += x[i]*y[i] }
      d = k * sxx - sx * sx
      printf "%.3f", (k > 1 && d != 0) ? 60 * (k * sxy - sx * sy) / d : 0
    }' "$1"
}
