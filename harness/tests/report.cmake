# internbench report: the golden Markdown from small hand-made JSON inputs
# (v2 runs, a v1 run, google-benchmark JSON), the gnuplot scripts of the
# memory/speed scatter and the ns-against-n plot, the page without
# gnuplot (exit 1), and bad inputs or inputs from two machines refused
# with exit 2 naming the file (label unit).
add_test(NAME report_golden
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/report/check.sh
          $<TARGET_FILE:internbench> ${CMAKE_CURRENT_LIST_DIR}/report)
set_tests_properties(report_golden PROPERTIES LABELS unit TIMEOUT 60)
