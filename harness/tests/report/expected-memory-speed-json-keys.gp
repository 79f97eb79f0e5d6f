set terminal svg size 860,520 font 'sans,13' noenhanced background rgb 'white'
set output 'memory-speed-json-keys.svg'
set title 'json-keys: bytes per string against ns per hit (lower left is better)'
set xlabel 'ns per hit'
set ylabel 'bytes per unique string'
set grid xtics ytics mxtics mytics lc rgb '#dddddd'
set key outside right top box opaque
set border 3
set tics nomirror
$p << EOD
13.282172373081464 38.399999999999999 "absl_flat_hash_set"
14.020070838252657 49.100000000000001 "open"
30 30 "hat_trie"
67.88665879574971 39.399999999999999 "glib_intern"
EOD
$front << EOD
13.282172373081464 38.399999999999999
30 30
EOD
set key inside right top box opaque
set xrange [0:*]
set yrange [0:*]
plot $p using 1:2 with points pt 7 ps 1.2 lc rgb '#1f77b4' title 'a table or peer', \
     $p using 1:2:3 with labels offset char 0.7,0.7 left font ',10' notitle, \
     $front using 1:2 with steps lw 2 lc rgb '#cc0000' notitle, \
     $front using 1:2 with points pt 6 ps 2.2 lw 2 lc rgb '#cc0000' title 'Pareto front: no row both faster and smaller'
