juesuan_add_test(report_test SOURCES report_test.cc
  LIBS juesuan_report juesuan_test_support nlohmann_json::nlohmann_json)

# The report as a browser builds it (Debian's chromium, headless): every
# finding present with an image that loaded, every table of a sample document
# with its overlay, every document in the index. Screenshots of each page type
# go to build/tests/report-artefacts/. Skipped (77) without chromium.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME report_browser
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/report_browser.py
      --binary $<TARGET_FILE:juesuan> --fixtures ${JUESUAN_FIXTURE_DIR}
      --artefacts ${CMAKE_CURRENT_BINARY_DIR}/report-artefacts)
  set_tests_properties(report_browser PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
endif()
