juesuan_add_test(extract_test SOURCES extract_test.cc
  LIBS juesuan_test_support juesuan_write juesuan_extract_tables)
juesuan_add_test(mapper_test SOURCES mapper_test.cc
  LIBS juesuan_test_support juesuan_extract_tables)
