juesuan_add_test(extract_test SOURCES extract_test.cc
  LIBS juesuan_run juesuan_write juesuan_extract_juesuan nlohmann_json::nlohmann_json)
