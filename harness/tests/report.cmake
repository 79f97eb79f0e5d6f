# internbench report: the golden Markdown from small hand-made JSON
# inputs, and bad inputs refused with exit 2 naming the file (label unit).
add_test(NAME report_golden
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/report/check.sh
          $<TARGET_FILE:internbench> ${CMAKE_CURRENT_LIST_DIR}/report)
set_tests_properties(report_golden PROPERTIES LABELS unit TIMEOUT 60)
