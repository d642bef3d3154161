juesuan_add_test(jixiao_test SOURCES jixiao_test.cc
  LIBS juesuan_run juesuan_write juesuan_extract_jixiao juesuan_normalise nlohmann_json::nlohmann_json)
