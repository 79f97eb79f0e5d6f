set terminal svg size 860,520 font 'sans,13' noenhanced background rgb 'white'
set output 'ns-n.svg'
set title 'Time per string against n (generated identifiers; lower is better)'
set xlabel 'n: strings in the case (log scale)'
set ylabel 'ns per string'
set grid xtics ytics mxtics mytics lc rgb '#dddddd'
set key outside right top box opaque
set border 3
set tics nomirror
$s0 << EOD
1000 54.075000000000003
10000 77.25
EOD
$s1 << EOD
1000 19.739999999999998
10000 28.199999999999999
EOD
$s2 << EOD
1000 29.609999999999999
10000 42.299999999999997
EOD
$s3 << EOD
1000 9.8699999999999992
10000 14.1
EOD
$s4 << EOD
1000 54.494999999999997
10000 77.849999999999994
EOD
$s5 << EOD
1000 25.829999999999998
10000 36.899999999999999
EOD
$s6 << EOD
1000 38.744999999999997
10000 55.350000000000001
EOD
$s7 << EOD
1000 12.914999999999999
10000 18.449999999999999
EOD
set logscale x 10
set xrange [769.23076923076917:13000]
set xtics ('10^3' 1000, '10^4' 10000)
set yrange [0:*]
plot $s0 using 1:2 with linespoints lw 2 lc 1 dt 1 pt 7 ps 0.8 title 'chained build', \
     $s1 using 1:2 with linespoints lw 2 lc 1 dt 2 pt 6 ps 0.8 title 'chained hit', \
     $s2 using 1:2 with linespoints lw 2 lc 1 dt 3 pt 5 ps 0.8 title 'chained hit_shuffled', \
     $s3 using 1:2 with linespoints lw 2 lc 1 dt 4 pt 4 ps 0.8 title 'chained batch_hit', \
     $s4 using 1:2 with linespoints lw 2 lc 2 dt 1 pt 7 ps 0.8 title 'open build', \
     $s5 using 1:2 with linespoints lw 2 lc 2 dt 2 pt 6 ps 0.8 title 'open hit', \
     $s6 using 1:2 with linespoints lw 2 lc 2 dt 3 pt 5 ps 0.8 title 'open hit_shuffled', \
     $s7 using 1:2 with linespoints lw 2 lc 2 dt 4 pt 4 ps 0.8 title 'open batch_hit'
